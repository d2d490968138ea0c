//! The company's search synonyms as queries use them: groups of words or short phrases that
//! mean the same here ("wfh", "thuiswerken", "remote work"), the social team's own and every
//! tag with its tag synonyms. A query word (or run of up to three) that is a member of a group
//! also matches the other members, a little below itself (`search::expand`). Kept in memory
//! and replaced whole when a group or a tag synonym changes, so a change applies to the next
//! search with no reindex.
use std::collections::HashMap;

use super::language::lookup_key;

pub mod routes;
pub mod service;

/// The groups, and every member's keys (as typed, and stemmed in English and in Dutch, so
/// "thuiswerk" finds the group of "thuiswerken").
#[derive(Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Member>>,
    by_key: HashMap<String, Vec<usize>>,
}

/// A member of a group, with its keys.
#[derive(Debug)]
struct Member {
    text: String,
    keys: [String; 3],
}

/// The words of `text`, lower-cased and space-separated.
fn plain(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn keys(text: &str) -> [String; 3] {
    [
        format!("w:{}", plain(text)),
        format!("e:{}", lookup_key(false, text)),
        format!("n:{}", lookup_key(true, text)),
    ]
}

impl Synonyms {
    /// The groups (members as written; groups of fewer than two distinct members are left out).
    pub fn new(groups: impl IntoIterator<Item = Vec<String>>) -> Self {
        let mut out = Synonyms::default();
        for group in groups {
            let mut members: Vec<String> = Vec::new();
            for member in group {
                let member = plain(&member);
                if !member.is_empty() && !members.contains(&member) {
                    members.push(member);
                }
            }
            if members.len() < 2 {
                continue;
            }
            let index = out.groups.len();
            let members: Vec<Member> = members
                .into_iter()
                .map(|text| Member {
                    keys: keys(&text),
                    text,
                })
                .collect();
            for member in &members {
                for key in &member.keys {
                    if key.len() > 2 {
                        let list = out.by_key.entry(key.clone()).or_default();
                        if !list.contains(&index) {
                            list.push(index);
                        }
                    }
                }
            }
            out.groups.push(members);
        }
        out
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The other members of the groups `text` belongs to (not `text` itself, in any of its
    /// forms).
    pub fn others(&self, text: &str) -> Vec<&str> {
        if self.groups.is_empty() {
            return vec![];
        }
        let own = keys(text);
        let mut out: Vec<&str> = Vec::new();
        for key in &own {
            for &group in self.by_key.get(key).into_iter().flatten() {
                for member in &self.groups[group] {
                    let same = member.keys.iter().zip(&own).any(|(a, b)| a == b);
                    if !same && !out.contains(&member.text.as_str()) {
                        out.push(&member.text);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_finds_the_others_as_typed_or_in_another_form() {
        let s = Synonyms::new([
            vec!["WFH".into(), "thuiswerken".into(), "remote work".into()],
            vec!["MT".into(), "managementteam".into()],
            vec!["alone".into()],
        ]);
        assert_eq!(s.len(), 2, "a group of one is no group");
        assert_eq!(s.others("wfh"), ["thuiswerken", "remote work"]);
        assert_eq!(s.others("Thuiswerk"), ["wfh", "remote work"], "by stem");
        assert_eq!(s.others("remote  working"), ["wfh", "thuiswerken"]);
        assert_eq!(s.others("mt"), ["managementteam"]);
        assert!(s.others("alone").is_empty());
        assert!(s.others("vpn").is_empty());
    }
}
