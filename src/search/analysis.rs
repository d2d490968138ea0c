//! The analysers of the index's text fields (English and Dutch stemming, a language-neutral
//! one, and whitespace for the word pairs), and the word pairs of a text.
use tantivy::{
    Index,
    tokenizer::{
        Language as Stemming, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        StopWordFilter, TextAnalyzer,
    },
};

fn base_analyzer() -> tantivy::tokenizer::TextAnalyzerBuilder<impl tantivy::tokenizer::Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
}

/// The analyser of English text: words, lower-cased, stemmed.
pub(super) fn english() -> TextAnalyzer {
    base_analyzer()
        .filter(Stemmer::new(Stemming::English))
        .build()
}

/// The analyser of Dutch text. Stemmed twice: Snowball's Dutch stemmer maps "fietsen" to
/// "fiets" but "fiets" to "fiet"; a second pass maps both to "fiet", so singular and plural
/// meet.
pub(super) fn dutch() -> TextAnalyzer {
    base_analyzer()
        .filter(Stemmer::new(Stemming::Dutch))
        .filter(Stemmer::new(Stemming::Dutch))
        .build()
}

pub(super) fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register("neutral", base_analyzer().build());
    tokenizers.register("en_stem", english());
    tokenizers.register("nl_stem", dutch());
    tokenizers.register(
        "pairs",
        TextAnalyzer::from(tantivy::tokenizer::WhitespaceTokenizer::default()),
    );
}

/// How the two words of a pair are joined in the `pairs_*` fields (no analysed word holds it).
pub const PAIR_JOINER: char = '_';

/// The pair of two analysed words as indexed in a `pairs_*` field.
pub fn pair(first: &str, second: &str) -> String {
    format!("{first}{PAIR_JOINER}{second}")
}

thread_local! {
    static ANALYZERS: std::cell::RefCell<(TextAnalyzer, TextAnalyzer)> =
        std::cell::RefCell::new((english(), dutch()));
    /// Lower-casing and dropping the function words of English and of Dutch (the lists tantivy
    /// ships: Lucene's for English, Snowball's for Dutch).
    static FUNCTION_WORDS: std::cell::RefCell<[TextAnalyzer; 2]> = std::cell::RefCell::new(
        [Stemming::English, Stemming::Dutch].map(|language| {
            let builder = base_analyzer();
            match StopWordFilter::new(language) {
                Some(filter) => builder.filter(filter).build(),
                None => builder.build(),
            }
        }),
    );
}

/// Whether `word` (one word) is a function word of Dutch (`dutch`) or English: "or" in English
/// ("this or that"), "of" in Dutch ("dit of dat").
pub fn function_word(dutch: bool, word: &str) -> bool {
    FUNCTION_WORDS.with(|analyzers| {
        let mut analyzers = analyzers.borrow_mut();
        let analyzer = &mut analyzers[usize::from(dutch)];
        let mut stream = analyzer.token_stream(word);
        !word.trim().is_empty() && !stream.advance()
    })
}

/// The pairs of adjacent words of `text` as analysed in its language, space-separated: what
/// the `pairs_*` field of that language indexes.
pub fn word_pairs(dutch: bool, text: &str) -> String {
    with_analyser(dutch, |analyzer| {
        let mut stream = analyzer.token_stream(text);
        let mut out = String::new();
        let mut previous: Option<String> = None;
        while stream.advance() {
            let word = &stream.token().text;
            if let Some(previous) = &previous {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&pair(previous, word));
            }
            previous = Some(word.clone());
        }
        out
    })
}

/// The words of `text` as the Dutch (`dutch`) or English text field indexes them (lower-cased,
/// stemmed).
pub fn stems(dutch: bool, text: &str) -> Vec<String> {
    with_analyser(dutch, |analyser| {
        let mut stream = analyser.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    })
}

/// Runs `f` with this thread's analyser of Dutch (`dutch`) or English text, as the text
/// fields analyse it (made once per thread).
pub(super) fn with_analyser<T>(dutch: bool, f: impl FnOnce(&mut TextAnalyzer) -> T) -> T {
    ANALYZERS.with(|analyzers| {
        let mut analyzers = analyzers.borrow_mut();
        f(if dutch {
            &mut analyzers.1
        } else {
            &mut analyzers.0
        })
    })
}

#[cfg(test)]
mod tests {
    use super::function_word;

    #[test]
    fn function_words_per_language() {
        assert!(function_word(false, "or"));
        assert!(function_word(false, "The"));
        assert!(!function_word(true, "or"), "not Dutch");
        assert!(function_word(true, "of"));
        assert!(!function_word(false, "mt"));
        assert!(!function_word(true, "ondernemingsraad"));
        assert!(!function_word(false, ""));
    }
}
