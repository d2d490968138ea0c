//! The language resources search uses beyond stemming, loaded from `assets/lang` (see its
//! README for where the data comes from and its licences):
//!
//! - a Dutch word list (OpenTaal, via Debian's `wdutch`) that splits compounds into their parts
//!   ("thuiswerkvergoeding" → "thuiswerk" + "vergoeding", "veiligheidsschoenen" →
//!   "veiligheid" + s + "schoenen");
//! - irregular Dutch plurals ("steden" → "stad"), which no suffix-stripping stemmer relates;
//! - translations Dutch → English and English → Dutch (FreeDict, plus Kring's workplace
//!   glossary), keyed by the stemmed headword, so a query in one language also finds a
//!   document in the other.
//!
//! Every part is optional: a missing or unreadable file is logged and left out, and search
//! works without it (stemming only). [`Resources`] says what was loaded, for `/healthz` and the
//! admin settings page.
use std::{
    collections::HashMap,
    io::Read,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
};

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;
use utoipa::ToSchema;

use super::lexicon::Lexicon;

/// The shortest compound part, in letters: shorter ones ("ver", "aan", "in") are mostly
/// prefixes and would split words that are no compounds.
const MIN_PART: usize = 4;
/// The particles of Dutch separable verbs, longest first: "aanvragen" is written apart in
/// "ik vraag het aan" (ANS 2.3.1.1.2, "scheidbaar samengestelde werkwoorden").
const PARTICLES: [&str; 28] = [
    "terug", "samen", "binnen", "buiten", "achter", "tegen", "onder", "langs", "door", "over",
    "voor", "mee", "aan", "uit", "weg", "toe", "bij", "neer", "vast", "los", "open", "dicht",
    "heen", "op", "af", "in", "na", "om",
];

/// At most this many translations of one word or phrase are tried.
const MAX_TRANSLATIONS: usize = 6;

/// The folder of the language data: `KRING_LANGUAGE_DIR`, or `assets/lang` of the
/// installation.
pub fn dir(settings: &crate::config::Settings) -> PathBuf {
    settings.language_dir.clone().unwrap_or_else(|| {
        crate::web::templates::resources_dir()
            .join("assets")
            .join("lang")
    })
}

/// What was loaded, and from where.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Resources {
    /// The folder the data was read from (not shown by `/healthz`, which anyone may read).
    #[serde(skip)]
    pub dir: String,
    /// Dutch words for decompounding (0: compounds are not split).
    pub dutch_words: usize,
    /// Irregular Dutch plurals.
    pub irregular_plurals: usize,
    /// Dutch words and phrases with an English translation.
    pub dutch_to_english: usize,
    /// English words and phrases with a Dutch translation.
    pub english_to_dutch: usize,
    /// Entries of the glossaries written for Kring (part of both directions).
    pub glossary: usize,
    /// Irregular verbs and nouns whose forms are related at query time ("stal", "gestolen" ↔
    /// "stelen"; "stole", "stolen" ↔ "steal"; "mice" ↔ "mouse"), both languages.
    pub irregular_forms: usize,
    /// Files that were expected but missing or unreadable.
    pub missing: Vec<String>,
}

/// Translations keyed by the analysed (stemmed) words of a headword, space-separated.
/// Translations by the analysed key of their headword (words of one stem share a key:
/// "verplicht", "verplichten" and "verplichting" all stem to "verplicht"), in the order read.
type Dictionary = HashMap<String, Vec<Translation>>;

struct Translation {
    /// Lower-cased.
    headword: String,
    translation: String,
    /// From a glossary written for Kring (else FreeDict).
    glossary: bool,
}

/// The loaded resources. `Language::default()` has none: stemming only.
#[derive(Default)]
pub struct Language {
    lexicon: Lexicon,
    irregular: HashMap<String, String>,
    /// Each lower-cased form of an irregular word, per language (Dutch, English), to the
    /// index of its group of forms (the lemma first) in `form_groups`.
    forms: [HashMap<String, u32>; 2],
    form_groups: Vec<Vec<String>>,
    nl_en: Dictionary,
    en_nl: Dictionary,
    resources: Resources,
    /// [`Language::index_fingerprint`], computed on first use (once per process: the data is
    /// shared).
    fingerprint: OnceLock<String>,
}

/// The words `analyser` makes of `text`, space-separated.
fn key(analyser: &mut TextAnalyzer, text: &str) -> String {
    let mut stream = analyser.token_stream(text);
    let mut out = String::new();
    while stream.advance() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stream.token().text);
    }
    out
}

/// A file of `assets/lang`, gunzipped when its name ends in `.gz`.
fn read(dir: &Path, name: &str) -> std::io::Result<String> {
    let bytes = std::fs::read(dir.join(name))?;
    if name.ends_with(".gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text)?;
        Ok(text)
    } else {
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// The entry lines of a tab-separated file: `(left, right)` without comments and blank lines.
fn entries(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
}

/// The glossaries written for Kring, read in this order before FreeDict (their translations
/// come first): the workplace terms, everyday nouns, everyday verbs, adjectives and phrases,
/// multiword terms of working life, an engineering firm's vocabulary and everyday mishaps.
const GLOSSARIES: [&str; 5] = [
    "glossary.tsv",
    "glossary-nouns.tsv",
    "glossary-words.tsv",
    "glossary-phrases.tsv",
    "glossary-domain.tsv",
];

/// Adds `translations` of `headword` to `dict` under its analysed key, after those already
/// there (the glossaries are read first, so their translations come first).
fn add(
    dict: &mut Dictionary,
    analyser: &mut TextAnalyzer,
    headword: &str,
    translations: &[&str],
    glossary: bool,
) {
    let k = key(analyser, headword);
    if k.is_empty() {
        return;
    }
    let headword = headword.trim().to_lowercase();
    let list = dict.entry(k).or_default();
    for t in translations {
        let t = t.trim().to_lowercase();
        let mut of_headword = list.iter().filter(|e| e.headword == headword);
        if !t.is_empty()
            && of_headword.clone().count() < MAX_TRANSLATIONS
            && !of_headword.any(|e| e.translation == t)
        {
            list.push(Translation {
                headword: headword.clone(),
                translation: t,
                glossary,
            });
        }
    }
}

impl Language {
    /// Loads what `dir` holds; a missing file is noted in [`Resources::missing`].
    pub fn load(dir: &Path) -> Self {
        let mut lang = Language {
            resources: Resources {
                dir: dir.display().to_string(),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut missing = Vec::new();
        let mut file = |name: &str| match read(dir, name) {
            Ok(text) => Some(text),
            Err(e) => {
                tracing::warn!(file = %dir.join(name).display(), error = %e, "search language data not loaded");
                missing.push(name.to_owned());
                None
            }
        };
        if let Some(text) = file("nl-words.txt.gz") {
            lang.lexicon = Lexicon::from_lines(text);
        }
        if let Some(text) = file("nl-irregular.tsv") {
            for (plural, singular) in entries(&text) {
                let singular = singular.split('|').next().unwrap_or(singular).trim();
                for plural in plural.split('|') {
                    lang.irregular
                        .insert(plural.trim().to_lowercase(), singular.to_lowercase());
                }
            }
        }
        for (i, name) in ["nl-verbs.tsv", "en-irregular.tsv"].into_iter().enumerate() {
            if let Some(text) = file(name) {
                for (lemma, forms) in entries(&text) {
                    let group: Vec<String> = std::iter::once(lemma)
                        .chain(forms.split('|'))
                        .map(|f| f.trim().to_lowercase())
                        .filter(|f| !f.is_empty())
                        .collect();
                    let id = lang.form_groups.len() as u32;
                    for form in &group {
                        lang.forms[i].entry(form.clone()).or_insert(id);
                    }
                    lang.form_groups.push(group);
                }
            }
        }
        let (mut en, mut nl) = (super::analysis::english(), super::analysis::dutch());
        let glossaries: Vec<String> = GLOSSARIES.iter().filter_map(|name| file(name)).collect();
        let nl_en = file("nl-en.tsv.gz");
        let en_nl = file("en-nl.tsv.gz");
        for text in &glossaries {
            for (dutch, english) in entries(text) {
                let dutch: Vec<&str> = dutch.split('|').collect();
                let english: Vec<&str> = english.split('|').collect();
                for d in &dutch {
                    add(&mut lang.nl_en, &mut nl, d, &english, true);
                }
                for e in &english {
                    add(&mut lang.en_nl, &mut en, e, &dutch, true);
                }
                lang.resources.glossary += 1;
            }
        }
        for (text, dict, analyser) in [
            (&nl_en, &mut lang.nl_en, &mut nl),
            (&en_nl, &mut lang.en_nl, &mut en),
        ] {
            if let Some(text) = text {
                for (headword, translations) in entries(text) {
                    let translations: Vec<&str> = translations.split('|').collect();
                    add(dict, analyser, headword, &translations, false);
                }
            }
        }
        lang.resources.missing = missing;
        lang.resources.dutch_words = lang.lexicon.len();
        lang.resources.irregular_plurals = lang.irregular.len();
        lang.resources.irregular_forms = lang.form_groups.len();
        lang.resources.dutch_to_english = lang.nl_en.len();
        lang.resources.english_to_dutch = lang.en_nl.len();
        lang
    }

    /// A digest of the data that shapes what is indexed (the decompounding words and the
    /// irregular plurals): a generation built with other data is rebuilt.
    pub fn index_fingerprint(&self) -> &str {
        self.fingerprint.get_or_init(|| {
            use sha2::Digest;
            let mut plurals: Vec<_> = self.irregular.iter().collect();
            plurals.sort_unstable();
            let mut hash = sha2::Sha256::new();
            hash.update(self.lexicon.text());
            for (plural, singular) in plurals {
                hash.update(format!("\n{plural}\t{singular}"));
            }
            hex::encode(hash.finalize())
        })
    }

    /// The resources of `dir`, loaded once per process and shared (tests open many indexes).
    pub fn shared(dir: &Path) -> Arc<Language> {
        static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<Language>>>> = OnceLock::new();
        let mut loaded = LOADED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        loaded
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                let started = std::time::Instant::now();
                let lang = Arc::new(Language::load(dir));
                tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    dutch_words = lang.resources.dutch_words,
                    dutch_to_english = lang.resources.dutch_to_english,
                    english_to_dutch = lang.resources.english_to_dutch,
                    "search language data loaded"
                );
                lang
            })
            .clone()
    }

    /// Nothing loaded: stemming only.
    pub fn none() -> Arc<Language> {
        Arc::new(Language::default())
    }

    pub fn resources(&self) -> &Resources {
        &self.resources
    }

    /// A lower-cased Dutch word with an irregular plural replaced by its singular
    /// ("steden" → "stad"); other words as they are.
    pub fn singular<'a>(&'a self, word: &'a str) -> &'a str {
        self.irregular.get(word).map_or(word, String::as_str)
    }

    /// The other forms of a lower-cased irregular word of the language (`dutch` or English):
    /// "gestolen" → stelen, stal, stalen; "mice" → mouse. Empty for a regular word, whose
    /// forms the stemmer relates.
    pub fn other_forms<'a>(&'a self, dutch: bool, word: &'a str) -> impl Iterator<Item = &'a str> {
        let group = self.forms[usize::from(!dutch)]
            .get(word)
            .map_or(&[][..], |&id| self.form_groups[id as usize].as_slice());
        group.iter().map(String::as_str).filter(move |f| *f != word)
    }

    /// The parts of a lower-cased Dutch compound, when it is one: every part a word of the
    /// list of at least [`MIN_PART`] letters, joined directly or by a linking `s`, `e` or `en`.
    /// The split with the fewest parts wins, then the one with the fewest linking letters,
    /// then the one with the longest last part (the head of a Dutch compound). `None` for a
    /// word that is no compound (or without the word list).
    pub fn split(&self, word: &str) -> Option<Vec<String>> {
        if self.lexicon.len() == 0 || word.chars().count() < 2 * MIN_PART {
            return None;
        }
        let bounds: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        let n = bounds.len() - 1;
        // best[i]: the best split of the word from char i on: (parts, linking letters,
        // -(last part's length), the end of its first part, where the next part starts).
        type Best = (usize, usize, isize, usize, usize);
        let mut best: Vec<Option<Best>> = vec![None; n + 1];
        for i in (0..n).rev() {
            for j in i + MIN_PART..=n {
                let part = &word[bounds[i]..bounds[j]];
                if !self.lexicon.contains(part) {
                    continue;
                }
                if j == n {
                    if i == 0 {
                        // The whole word: a word of the list, but no split.
                        continue;
                    }
                    let last = (1, 0, -((j - i) as isize), j, n);
                    if best[i].is_none_or(|b| last < b) {
                        best[i] = Some(last);
                    }
                    continue;
                }
                for link in ["", "s", "e", "en"] {
                    if !word[bounds[j]..].starts_with(link) {
                        continue;
                    }
                    let k = j + link.chars().count();
                    if k >= n {
                        continue;
                    }
                    if let Some((parts, links, last, _, _)) = best[k] {
                        let candidate = (parts + 1, links + link.len(), last, j, k);
                        if best[i].is_none_or(|b| candidate < b) {
                            best[i] = Some(candidate);
                        }
                    }
                }
            }
        }
        let (parts, ..) = best[0]?;
        if parts < 2 {
            return None;
        }
        let mut out = Vec::with_capacity(parts);
        let mut i = 0;
        while i < n {
            let (_, _, _, end, next) = best[i].expect("a split continues to the end");
            out.push(word[bounds[i]..bounds[end]].to_owned());
            i = next;
        }
        Some(out)
    }

    /// A Dutch separable verb as its particle and verb ("aanvragen" → aan, vragen): both words
    /// of the list, the verb at least [`MIN_PART`] letters. `None` otherwise.
    pub fn separable<'a>(&self, word: &'a str) -> Option<(&'static str, &'a str)> {
        if self.lexicon.len() == 0 || !self.lexicon.contains(word) {
            return None;
        }
        PARTICLES.iter().find_map(|particle| {
            let verb = word.strip_prefix(particle)?;
            (verb.chars().count() >= MIN_PART
                && verb.ends_with("en")
                && self.lexicon.contains(verb))
            .then_some((*particle, verb))
        })
    }

    /// The parts of a compound and, for a part that is a compound itself, its parts too
    /// ("thuiswerkvergoeding" → thuiswerk, vergoeding, thuis, werk): what the index holds of a
    /// compound beside the whole word.
    pub fn all_parts(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(parts) = self.split(word) {
            for part in parts {
                let inner = self.split(&part);
                out.push(part);
                out.extend(inner.into_iter().flatten());
            }
        }
        out
    }

    /// Dutch text with its irregular plurals replaced by their singulars, for the Dutch text
    /// field (queries get the same, so "steden" and "stad" meet).
    pub fn dutch_text<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.irregular.is_empty() {
            return text.into();
        }
        let mut out = String::new();
        let mut copied = 0;
        for (start, word) in words(text) {
            let lower = word.to_lowercase();
            if let Some(singular) = self.irregular.get(&lower) {
                out.push_str(&text[copied..start]);
                out.push_str(singular);
                copied = start + word.len();
            }
        }
        if copied == 0 {
            return text.into();
        }
        out.push_str(&text[copied..]);
        out.into()
    }

    /// The parts of the compounds of Dutch text, stemmed as the Dutch text field stems words
    /// and space-separated: what the index's `parts_nl` field holds, so "restaurant" finds
    /// "bedrijfsrestaurant" and "ziek melden" finds "ziekmelding".
    pub fn dutch_parts(&self, text: &str) -> String {
        thread_local! {
            static CACHE: std::cell::RefCell<HashMap<String, String>> = Default::default();
        }
        let mut out = String::new();
        if self.lexicon.len() == 0 {
            return out;
        }
        CACHE.with(|cache| {
            let seen = &mut *cache.borrow_mut();
            if seen.len() > 200_000 {
                seen.clear();
            }
            for (_, word) in words(text) {
                if word.chars().count() < 2 * MIN_PART {
                    continue;
                }
                let lower = word.to_lowercase();
                let parts = seen.entry(lower).or_insert_with_key(|lower| {
                    let parts: Vec<String> = self
                        .all_parts(self.singular(lower))
                        .iter()
                        .map(|p| lookup_key(true, self.singular(p)))
                        .collect();
                    parts.join(" ")
                });
                if !parts.is_empty() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(parts);
                }
            }
        });
        out
    }

    /// Whether `word` (lower-cased) is a Dutch word of the list.
    pub fn is_word(&self, word: &str) -> bool {
        self.lexicon.contains(word)
    }

    /// Whether the word list for compounds is loaded.
    pub fn splits(&self) -> bool {
        self.lexicon.len() > 0
    }

    /// Whether translations are loaded.
    pub fn translates(&self) -> bool {
        !self.nl_en.is_empty() || !self.en_nl.is_empty()
    }

    /// The English translations of a Dutch word or phrase (analysed with the Dutch analyser,
    /// as `key`; `typed` lower-cased), best first: those of the typed word itself, then those
    /// of other words of its stem, at most [`MAX_TRANSLATIONS`].
    pub fn to_english<'a>(&'a self, dutch_key: &str, typed: &str) -> Vec<&'a str> {
        best(&self.nl_en, dutch_key, typed)
    }

    /// The Dutch translations of an English word or phrase (analysed with the English
    /// analyser), as [`Self::to_english`].
    pub fn to_dutch<'a>(&'a self, english_key: &str, typed: &str) -> Vec<&'a str> {
        best(&self.en_nl, english_key, typed)
    }
}

/// The translations under `key`, best first: the glossaries' before FreeDict's (they were
/// written for how colleagues use a word: "moving" as moving house, not as touching), and in
/// each those of the headword `typed` itself before those of other words of its stem; no
/// repeats, at most [`MAX_TRANSLATIONS`].
fn best<'a>(dict: &'a Dictionary, key: &str, typed: &str) -> Vec<&'a str> {
    let Some(list) = dict.get(key) else {
        return vec![];
    };
    let mut ranked: Vec<&Translation> = list.iter().collect();
    // Stable: the order read within each rank.
    ranked.sort_by_key(|e| (!e.glossary, e.headword != typed));
    let mut out: Vec<&str> = Vec::with_capacity(MAX_TRANSLATIONS);
    for e in ranked {
        if out.len() == MAX_TRANSLATIONS {
            break;
        }
        if !out.contains(&e.translation.as_str()) {
            out.push(&e.translation);
        }
    }
    out
}

/// The words of `text` (runs of letters and digits) with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// The analysed key of `text` for [`Language::to_english`] (`dutch`) or
/// [`Language::to_dutch`].
pub fn lookup_key(dutch: bool, text: &str) -> String {
    super::analysis::with_analyser(dutch, |analyser| key(analyser, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_words(words: &[&str]) -> Language {
        Language {
            lexicon: Lexicon::from_lines(words.join("\n")),
            ..Default::default()
        }
    }

    #[test]
    fn irregular_forms_meet_their_base_form_per_language() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("en-irregular.tsv"),
            "# comment\nsteal\tstole|stolen\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("nl-verbs.tsv"),
            "stelen\tstal|stalen|gestolen\n",
        )
        .unwrap();
        let lang = Language::load(dir.path());
        let forms = |dutch, word| lang.other_forms(dutch, word).collect::<Vec<_>>();
        assert_eq!(forms(false, "stolen"), ["steal", "stole"]);
        assert_eq!(forms(false, "steal"), ["stole", "stolen"]);
        assert_eq!(forms(true, "gestolen"), ["stelen", "stal", "stalen"]);
        assert!(
            forms(true, "stolen").is_empty(),
            "each language its own forms"
        );
        assert!(
            forms(false, "walked").is_empty(),
            "regular forms are the stemmer's"
        );
        assert_eq!(lang.resources().irregular_forms, 2);
    }

    #[test]
    fn compounds_split_into_words_of_the_list_with_linking_letters() {
        let lang = with_words(&[
            "thuis",
            "werk",
            "thuiswerk",
            "vergoeding",
            "veiligheid",
            "schoenen",
            "ziek",
            "melding",
            "bedrijf",
            "restaurant",
            "zonne",
            "paneel",
            "ver",
            "lof",
            "verlof",
            "ziekmelding",
            "veiligheidsschoenen",
        ]);
        assert_eq!(
            lang.split("thuiswerkvergoeding").unwrap(),
            ["thuiswerk", "vergoeding"],
            "the fewest parts"
        );
        assert_eq!(
            lang.all_parts("thuiswerkvergoeding"),
            ["thuiswerk", "thuis", "werk", "vergoeding"]
        );
        assert_eq!(
            lang.split("veiligheidsschoenen").unwrap(),
            ["veiligheid", "schoenen"],
            "a linking s"
        );
        assert_eq!(lang.split("ziekmelding").unwrap(), ["ziek", "melding"]);
        assert_eq!(
            lang.split("bedrijfsrestaurant").unwrap(),
            ["bedrijf", "restaurant"]
        );
        assert_eq!(
            lang.split("verlof"),
            None,
            "parts of three letters do not count"
        );
        assert_eq!(
            lang.split("restaurant"),
            None,
            "not every long word is a compound"
        );
        assert_eq!(
            lang.split("thuiswerkx"),
            None,
            "every letter belongs to a part"
        );
        assert_eq!(Language::default().split("thuiswerkvergoeding"), None);
    }

    #[test]
    fn separable_verbs_come_apart() {
        let lang = with_words(&["aanvragen", "vragen", "opzeggen", "zeggen", "aanbod", "bod"]);
        assert_eq!(lang.separable("aanvragen"), Some(("aan", "vragen")));
        assert_eq!(lang.separable("opzeggen"), Some(("op", "zeggen")));
        assert_eq!(lang.separable("aanbod"), None, "no verb");
        assert_eq!(lang.separable("vragen"), None, "no particle");
    }

    #[test]
    fn the_lexicon_finds_exactly_its_words() {
        let lex = Lexicon::from_lines("b\na\nc\nab\n".into());
        assert_eq!(lex.len(), 4);
        for w in ["a", "b", "c", "ab"] {
            assert!(lex.contains(w), "{w}");
        }
        for w in ["", "abc", "d", "aa"] {
            assert!(!lex.contains(w), "{w}");
        }
    }

    #[test]
    fn missing_data_leaves_stemming_only() {
        let dir = tempfile::tempdir().unwrap();
        let lang = Language::load(dir.path());
        assert_eq!(lang.resources().dutch_words, 0);
        assert_eq!(lang.resources().missing.len(), 11);
        assert_eq!(lang.split("thuiswerkvergoeding"), None);
        assert!(
            lang.to_english(&lookup_key(true, "verlof"), "verlof")
                .is_empty()
        );
    }
}
