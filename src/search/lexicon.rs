//! A sorted word list held compactly (the Dutch words that split compounds, `search::language`).

/// A sorted word list in one string: compact (a few bytes per word) and searched by bisection.
#[derive(Default)]
pub(super) struct Lexicon {
    text: String,
    /// The start of every word in `text`; words end at the next start (minus the newline).
    starts: Vec<u32>,
}

impl Lexicon {
    pub(super) fn from_lines(text: String) -> Self {
        let mut words: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut joined = String::with_capacity(text.len());
        let mut starts = Vec::with_capacity(words.len());
        for word in words {
            starts.push(joined.len() as u32);
            joined.push_str(word);
            joined.push('\n');
        }
        Self {
            text: joined,
            starts,
        }
    }

    /// The words, sorted, each followed by a newline.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    fn word(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |s| *s as usize)
            - 1;
        &self.text[start..end]
    }

    pub(super) fn contains(&self, word: &str) -> bool {
        let (mut lo, mut hi) = (0, self.starts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.word(mid).cmp(word) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}
