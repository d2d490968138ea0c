//! What a query word may also match beyond its stem, in one language's text field, each
//! weighted below the word itself so a document with the typed word ranks first:
//!
//! - Dutch: the word as a part of a compound (`parts_nl`: "restaurant" finds
//!   "bedrijfsrestaurant"), and a typed compound as its parts ("thuiswerkvergoeding" finds
//!   "vergoeding voor thuiswerken");
//! - its translations into the field's language (`search::language`), a compound's parts
//!   translated when the whole has none ("reiskosten" → travel + costs);
//! - the company's search synonyms (`search::synonyms`), of a word or of a run of up to three.
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query};

use super::{
    index::Generation,
    language::lookup_key,
    rounds::{term, tokens},
    synonyms::Synonyms,
};

/// A query word found as a part of a compound in the document.
const PART: f32 = 0.5;
/// A typed compound found as its parts.
const SPLIT: f32 = 0.8;
/// A translation of the typed word.
const TRANSLATION: f32 = 0.4;
/// A member of the word's synonym group.
const SYNONYM: f32 = 0.8;
/// Another form of an irregular word ("stolen" for "steal"): the same word, but a form can
/// belong to two ("left": leave, or the side).
const FORM: f32 = 0.9;
/// The longest run of words looked up as one (a phrase translated, a synonym of three words).
pub(super) const LONGEST_RUN: usize = 3;

/// The expansion of a query in one generation, with the company's synonyms.
#[derive(Clone, Copy)]
pub(super) struct Expander<'a> {
    pub(super) idx: &'a Generation,
    pub(super) synonyms: &'a Synonyms,
    /// The spaces the reader sees: what counts as a word the index holds, for them.
    pub(super) visible: &'a super::boundary::Visible,
    /// Whether words are also translated, found as parts of compounds, and typed compounds
    /// matched as their parts: the wider expansions, which `rounds` tries only when the
    /// narrower finds little (they make common words expensive: "werk" is a part of thousands
    /// of compounds, "thuiswerken" becomes thuis + werk).
    pub(super) translate: bool,
}

fn boosted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, weight))
}

/// Every one of `words` (in any order), or `None` without words.
fn all_of(field: tantivy::schema::Field, words: &[String]) -> Option<Box<dyn Query>> {
    match words {
        [] => None,
        [word] => Some(term(field, word)),
        _ => Some(Box::new(BooleanQuery::new(
            words
                .iter()
                .map(|w| (Occur::Must, term(field, w)))
                .collect(),
        ))),
    }
}

/// Every one of `words`, each as a word of `field` or (with `parts`, Dutch) as a part of a
/// compound: a translation "fiets" finds "fietsenstalling".
fn every_word(
    field: tantivy::schema::Field,
    parts: Option<tantivy::schema::Field>,
    words: &[String],
) -> Option<Box<dyn Query>> {
    let Some(parts) = parts else {
        return all_of(field, words);
    };
    let each: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .filter_map(|w| {
            any_of(vec![term(field, w), boosted(term(parts, w), PART)]).map(|q| (Occur::Must, q))
        })
        .collect();
    match each.len() {
        0 => None,
        1 => each.into_iter().next().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(each))),
    }
}

/// Any of `alternatives`, or the one there is.
fn any_of(mut alternatives: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match alternatives.len() {
        0 => None,
        1 => alternatives.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            alternatives
                .into_iter()
                .map(|q| (Occur::Should, q))
                .collect(),
        ))),
    }
}

impl Expander<'_> {
    fn dutch(&self, field: tantivy::schema::Field) -> bool {
        field == self.idx.fields.text_nl
    }

    /// The words `field` indexes for `text` (a Dutch irregular plural as its singular).
    fn analysed(&self, field: tantivy::schema::Field, text: &str) -> Vec<String> {
        if self.dutch(field) {
            tokens(self.idx, field, &self.idx.language.dutch_text(text))
        } else {
            tokens(self.idx, field, text)
        }
    }

    /// Translations of `text` into `field`'s language, and the company's synonyms of it, each
    /// as all of its words; `original` (the analysed words of `text`) is left out.
    fn translations_and_synonyms(
        &self,
        field: tantivy::schema::Field,
        text: &str,
        original: &[String],
    ) -> Vec<Box<dyn Query>> {
        let lang = &self.idx.language;
        let dutch_field = self.dutch(field);
        // Into Dutch the word is taken as English, into English as Dutch.
        let lower = text.to_lowercase();
        let typed = lang.dutch_text(&lower);
        let key = lookup_key(!dutch_field, &typed);
        let translations = match (self.translate, dutch_field) {
            (false, _) => vec![],
            (true, true) => lang.to_dutch(&key, &typed),
            (true, false) => lang.to_english(&key, &typed),
        };
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let mut seen: Vec<Vec<String>> = vec![original.to_vec()];
        let parts_field = dutch_field.then_some(self.idx.fields.parts_nl);
        let mut push = |words: Vec<String>, weight: f32, out: &mut Vec<Box<dyn Query>>| {
            if !words.is_empty() && !seen.contains(&words) {
                if let Some(q) = every_word(field, parts_field, &words) {
                    out.push(boosted(q, weight));
                }
                seen.push(words);
            }
        };
        for translation in translations {
            push(self.analysed(field, translation), TRANSLATION, &mut out);
        }
        for synonym in self.synonyms.others(text) {
            // An abbreviation that is a function word of the field's language means something
            // else there: "OR" (ondernemingsraad) is not the English "or".
            if !synonym.contains(char::is_whitespace)
                && super::analysis::function_word(dutch_field, synonym)
            {
                continue;
            }
            push(self.analysed(field, synonym), SYNONYM, &mut out);
        }
        out
    }

    /// One typed word in `field`: the word, or what else it may match. `None` when the
    /// analyser leaves nothing of it (punctuation).
    pub(super) fn word(&self, field: tantivy::schema::Field, word: &str) -> Option<Box<dyn Query>> {
        let original = self.analysed(field, word);
        let typed = all_of(field, &original)?;
        let mut alternatives = vec![typed];
        let lang = &self.idx.language;
        let lower = word.to_lowercase();
        for form in lang.other_forms(self.dutch(field), &lower) {
            let stems = self.analysed(field, form);
            if stems != original
                && let Some(q) = all_of(field, &stems)
            {
                alternatives.push(boosted(q, FORM));
            }
        }
        if self.dutch(field) {
            let parts_field = self.idx.fields.parts_nl;
            if let ([stem], true) = (original.as_slice(), self.translate) {
                alternatives.push(boosted(term(parts_field, stem), PART));
            }
            if let Some((particle, verb)) = self.translate.then(|| lang.separable(&lower)).flatten()
            {
                // Written apart: "ik vraag het aan" for "aanvragen".
                let mut words = self.analysed(field, particle);
                words.extend(self.analysed(field, verb));
                if let Some(q) = all_of(field, &words) {
                    alternatives.push(boosted(q, SPLIT));
                }
            }
            if let Some(parts) = self
                .translate
                .then(|| lang.split(lang.singular(&lower)))
                .flatten()
            {
                // Each part as a word or as a part of another compound.
                let each: Option<Vec<(Occur, Box<dyn Query>)>> = parts
                    .iter()
                    .map(|part| {
                        let stems = self.analysed(field, part);
                        let [stem] = stems.as_slice() else {
                            return None;
                        };
                        Some((
                            Occur::Must,
                            any_of(vec![term(field, stem), term(parts_field, stem)])?,
                        ))
                    })
                    .collect();
                if let Some(each) = each {
                    alternatives.push(boosted(Box::new(BooleanQuery::new(each)), SPLIT));
                }
            }
        }
        let translated = self.translations_and_synonyms(field, word, &original);
        if self.translate && translated.is_empty() && !self.dutch(field) {
            // A Dutch compound without a translation of its own: its parts translated.
            alternatives.extend(self.parts_translated(field, &lower));
        }
        alternatives.extend(translated);
        any_of(alternatives)
    }

    /// A Dutch compound as the English translations of its parts, every part translated; `None`
    /// when it is no compound or a part has no translation.
    fn parts_translated(
        &self,
        field: tantivy::schema::Field,
        lower: &str,
    ) -> Option<Box<dyn Query>> {
        let lang = &self.idx.language;
        let parts = lang.split(lang.singular(lower))?;
        let mut each = Vec::with_capacity(parts.len());
        for part in &parts {
            let part = lang.singular(part);
            let translations = lang.to_english(&lookup_key(true, part), part);
            let options: Vec<Box<dyn Query>> = translations
                .iter()
                .filter_map(|t| all_of(field, &self.analysed(field, t)))
                .collect();
            each.push((Occur::Must, any_of(options)?));
        }
        Some(boosted(Box::new(BooleanQuery::new(each)), TRANSLATION))
    }

    /// Whether a text the reader may see holds `word` (lower-cased, as typed) in its title or
    /// body: a word none holds is taken for a typo.
    pub(super) fn knows(&self, searcher: &tantivy::Searcher, word: &str) -> bool {
        let f = &self.idx.fields;
        [f.title, f.body].into_iter().any(|field| {
            super::boundary::holds(&self.idx.facets, searcher, self.visible, field, word)
        })
    }

    /// Whether a text the reader may see holds `word` in `field`.
    fn indexed(&self, field: tantivy::schema::Field, word: &str) -> bool {
        // Of the texts the reader may see: what only a closed space holds must not change
        // how their query is read.
        super::boundary::holds(
            &self.idx.facets,
            &self.idx.reader.searcher(),
            self.visible,
            field,
            word,
        )
    }

    /// Dutch words typed apart that the index holds as one compound ("ziek melden" →
    /// ziekmelden, "veiligheid schoenen" → veiligheidsschoenen): the compound as a word, or as
    /// a part of a longer one.
    fn joined(&self, field: tantivy::schema::Field, words: &[&str]) -> Vec<Box<dyn Query>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if !self.dutch(field) || words.iter().any(|w| !w.chars().all(char::is_alphabetic)) {
            return out;
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        for link in ["", "s"] {
            let compound = lower.join(link);
            let stems = self.analysed(field, &compound);
            let [stem] = stems.as_slice() else {
                continue;
            };
            if self.indexed(field, stem) {
                out.push(term(field, stem));
            }
            if self.indexed(self.idx.fields.parts_nl, stem) {
                out.push(boosted(term(self.idx.fields.parts_nl, stem), PART));
            }
        }
        out
    }

    /// A run of typed words that is a phrase of the dictionary, a synonym or (in Dutch) a
    /// compound typed apart: every word (each as [`Self::word`]), or the phrase's
    /// translations, synonyms or compound. `None` when the run is none of these (its words
    /// are then taken one by one).
    pub(super) fn run(
        &self,
        field: tantivy::schema::Field,
        words: &[&str],
    ) -> Option<Box<dyn Query>> {
        let text = words.join(" ");
        let original = self.analysed(field, &text);
        let mut alternatives = self.joined(field, words);
        alternatives.extend(self.translations_and_synonyms(field, &text, &original));
        if alternatives.is_empty() {
            return None;
        }
        // Every word, shorter runs within it taken as runs: "solar panels roof" (a glossary's
        // "solar panel roof", zonnedak) is also "solar panels" (zonnepanelen) and "roof" (dak).
        let mut each: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            if let Some((len, query)) = self.longest_run(field, &words[i..], words.len() - 1) {
                each.push((Occur::Must, query));
                i += len;
                continue;
            }
            match self.word(field, words[i]) {
                Some(query) => each.push((Occur::Must, query)),
                // A word the analyser leaves nothing of: the run is not all its words.
                None => {
                    each.clear();
                    break;
                }
            }
            i += 1;
        }
        let mut options: Vec<Box<dyn Query>> = Vec::with_capacity(alternatives.len() + 1);
        if !each.is_empty() {
            options.push(Box::new(BooleanQuery::new(each)));
        }
        options.extend(alternatives);
        any_of(options)
    }

    /// The longest run of two to `longest` of `words`, from the first, that is a phrase of the
    /// dictionary, a synonym or (in Dutch) a compound typed apart ([`Self::run`]), with its
    /// length; `None` when the first word starts none.
    pub(super) fn longest_run(
        &self,
        field: tantivy::schema::Field,
        words: &[&str],
        longest: usize,
    ) -> Option<(usize, Box<dyn Query>)> {
        (2..=longest.min(words.len()))
            .rev()
            .find_map(|len| Some((len, self.run(field, &words[..len])?)))
    }
}
