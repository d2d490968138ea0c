#!/usr/bin/env python3
"""Derive Kring's Dutch language data from installed Debian packages.

Inputs (Debian packages, see README.md in this directory):
  wdutch                 /usr/share/dict/dutch (OpenTaal word list)
  dict-freedict-nld-eng  /usr/share/dictd/freedict-nld-eng.{index,dict.dz}
  dict-freedict-eng-nld  /usr/share/dictd/freedict-eng-nld.{index,dict.dz}
  wamerican, wbritish    /usr/share/dict/{american,british}-english
                         (build-time only: used to re-insert the spaces that
                         the FreeDict nld-eng data lost in multi-word English
                         translations; nothing from them is written out)

Outputs (next to this script):
  nl-words.txt.gz        Dutch word list, one lower-case word per line
  nl-en.tsv.gz           Dutch -> English   headword<TAB>t1|t2|...
  en-nl.tsv.gz           English -> Dutch   headword<TAB>t1|t2|...
  LICENSES/*.copyright           copies of the Debian copyright files

Standard library only; the outputs are byte-identical on re-runs
(sorted, gzip mtime 0).  Usage:

  python3 assets/lang/derive.py [--samples N] [--seed S]
"""

import argparse
import gzip
import io
import math
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

WDUTCH = "/usr/share/dict/dutch"
DICTD = "/usr/share/dictd/freedict-{}.{}"
EN_WORDLISTS = ["/usr/share/dict/american-english", "/usr/share/dict/british-english"]
COPYRIGHT_PACKAGES = ["wdutch", "dict-freedict-nld-eng", "dict-freedict-eng-nld"]

# Lower-case letters accepted in words: a-z plus the accented Latin letters
# that occur in Dutch and in loan words.
ACCENTED = "àáâäåçèéêëìíîïñòóôöùúûüýÿ"
LETTER = "a-z" + ACCENTED
WORD_RE = re.compile("^[" + LETTER + "]{2,}$")
# A translation / headword: letter runs joined by single internal hyphens or spaces.
PHRASE_RE = re.compile("^[" + LETTER + "]+(?:[ -][" + LETTER + "]+)*$")

MAX_WORDS = 3          # translations (and headwords) of 1..3 words
MAX_TRANSLATIONS = 8   # per headword
PIECE_PENALTY = 4.0    # segmentation: cost per extra word (natural log units)

ARTICLES = {
    "nl": ("de ", "het ", "een ", "'t "),
    "en": ("the ", "a ", "an ", "to "),
}

# "to X" is an infinitive unless X starts a noun phrase ("to the left").
NOT_AFTER_TO = set(
    "a an the this that these those my your his her its our their some any "
    "all every each no me him us them you it what which".split()
)

# One- and two-letter English words allowed as pieces when re-segmenting
# glued English translations ("ontheright" -> "on the right").  The system
# word lists contain many two-letter abbreviations that would give junk.
SHORT_EN = set("a am an as at be by do go if in is it me no of on or so to up".split())

HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u00ad"), "-")
BRACKETS_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|<[^<>]*>")


# --------------------------------------------------------------------------
# helpers

def write_gz(path, lines):
    """Write lines as UTF-8 text, gzip'd deterministically (mtime 0)."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    buf = io.BytesIO()
    name = os.path.basename(path)[:-3] if path.endswith(".gz") else ""
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buf.getvalue())
    os.replace(tmp, path)
    return len(buf.getvalue())


def normalize(s):
    """NFKC (folds the ligature 'ĳ' to 'ij'), unify hyphens, collapse spaces."""
    s = unicodedata.normalize("NFKC", s).translate(HYPHENS)
    return " ".join(s.split())


def strip_brackets(s):
    prev = None
    while prev != s:
        prev, s = s, BRACKETS_RE.sub(" ", s)
    return s


# --------------------------------------------------------------------------
# 1. word list

def derive_words():
    words = set()
    with open(WDUTCH, encoding="utf-8") as f:
        for line in f:
            w = unicodedata.normalize("NFC", line.strip())
            if WORD_RE.match(w):
                words.add(w)
    return sorted(words)


# --------------------------------------------------------------------------
# 2. FreeDict dictd files

DICTD_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64_number(s):
    n = 0
    for c in s:
        n = n * 64 + DICTD_B64.index(c)
    return n


def read_dictd(pair):
    """Yield (headword line, [body lines]) per entry, in index order."""
    with gzip.open(DICTD.format(pair, "dict.dz")) as f:
        data = f.read()
    seen = set()
    with open(DICTD.format(pair, "index"), encoding="utf-8") as f:
        for line in f:
            key, off, length = line.rstrip("\n").split("\t")
            if key.startswith("00database"):
                continue
            span = (b64_number(off), b64_number(length))
            if span in seen:      # several index keys may point to one entry
                continue
            seen.add(span)
            text = data[span[0]:span[0] + span[1]].decode("utf-8")
            lines = text.rstrip("\n").split("\n")
            yield lines[0], lines[1:]


HEAD_RE = re.compile(r"^(.*?)\s+/[^/]*/\s*$")   # "woord /pronunciation/"
SENSE_RE = re.compile(r"^\s*\d+\.\s*")          # "1. ", "2. "


class EnglishSegmenter:
    """Re-insert spaces lost in FreeDict nld-eng English translations.

    The nld-eng source glues multi-word translations ("ontheright",
    "stirup", "AndamanIslands", "built-uparea").  A token that is not an
    English word is split at lower->upper case changes, then each part into
    known English words by a unigram model: word frequencies are counted in
    the English text of both FreeDict dictionaries (spaced eng-nld headwords,
    nld-eng translations that are already words); words only in the system
    word lists get a floor count.  Tokens that cannot be split are kept
    unchanged (most are rare or misspelt words missing from the word lists).
    """

    def __init__(self, english_texts):
        lower, proper = set(), set()
        for path in EN_WORDLISTS:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    w = line.strip()
                    if w.isalpha() and w.isascii():
                        (lower if w.islower() else proper).add(w.lower())
        self.lower = lower
        self.known = lower | proper           # a whole token in here is left alone
        counts = {}
        for text in english_texts:
            # count free-standing words only (not "-ism" or "dis-")
            for w in re.split(r"[\s,;.:?!()\[\]/]+", text.lower()):
                if w in self.known:
                    counts[w] = counts.get(w, 0) + 1
        total = sum(counts.values()) + len(self.known)
        # cost of a piece: -log P(w) plus a per-piece penalty (favours fewer
        # pieces).  Pieces: the short function words in SHORT_EN, words of
        # 3-4 letters seen in the FreeDict English, any longer listed word.
        self.cost = {}
        for w in self.known:
            if len(w) <= 2 and w not in SHORT_EN:
                continue
            if len(w) <= 4 and not counts.get(w):
                continue    # short pieces must occur in the FreeDict English
            c = counts.get(w, 0) + (0.5 if w in lower else 0.1)
            self.cost[w] = -math.log(c / total) + PIECE_PENALTY
        for w in SHORT_EN:
            self.cost.setdefault(w, -math.log((counts.get(w, 0) + 0.5) / total) + PIECE_PENALTY)
        self.maxlen = max(map(len, self.cost))
        self.stats = {"split": 0, "unknown": 0}

    def segment(self, s):
        """Cheapest split of lower-case s into known words, or None."""
        n = len(s)
        best = [None] * (n + 1)    # best[i] = (cost, words) for s[:i]
        best[0] = (0.0, ())
        for i in range(1, n + 1):
            for j in range(max(0, i - self.maxlen), i):
                if best[j] is None:
                    continue
                c = self.cost.get(s[j:i])
                if c is None:
                    continue
                cand = (best[j][0] + c, best[j][1] + (s[j:i],))
                if best[i] is None or cand < best[i]:
                    best[i] = cand
        if best[n] is None:
            return None
        words = list(best[n][1])
        if len(words) > MAX_WORDS:
            return words    # a glued phrase; clean_phrase() drops it as too long
        # "row an", "arch it rave", "ass is tent": not how phrases go
        if words[-1] in ("a", "an", "the") or any(w in ("am", "is", "it") for w in words[:-1]):
            return None
        for w, nxt in zip(words, words[1:]):     # "row an berry", "a apple"
            if (w == "an") != (nxt[0] in "aeiou") and w in ("a", "an"):
                return None
        return words

    def name_split_ok(self, words, last_part):
        """Stricter test for a capitalised token ("Christmastree", "Bayof"
        yes; "Alost" -> "a lost", "Hellas" -> "hell as", "AddisAbaba" ->
        "add is ababa", "Surinamesewoman" -> "suriname sew oman" no)."""
        links = ("of", "and", "the")
        rest = words[1:]
        if words[0] in SHORT_EN or len(words[0]) < 3:
            return False
        if not all(w in self.lower and (w in links or w not in SHORT_EN) for w in rest):
            return False
        if len(words[0]) < 4 and not all(w in links for w in rest):
            return False
        return not (last_part and len(words[-1]) < 3)

    def fix_part(self, part):
        """Words for one hyphen-free alphabetic part ("ontheright")."""
        if part.lower() in self.known:
            return [part.lower()]
        words = []
        camel = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", part).split()
        for k, p in enumerate(camel):
            pl = p.lower()
            seg = None if pl in self.known else self.segment(pl)
            if (seg and len(seg) <= MAX_WORDS and p[0].isupper()
                    and not self.name_split_ok(seg, k == len(camel) - 1)):
                seg = None
            words.extend(seg if seg else [pl])
        if len(words) > 1:
            self.stats["split"] += 1
        elif words[0] not in self.known:
            self.stats["unknown"] += 1
        return words

    def fix(self, text):
        out = []
        for tok in text.split():
            parts = tok.split("-")
            if not all(p.isalpha() and p.isascii() for p in parts):
                out.append(tok)     # apostrophes, digits, accents: leave alone
                continue
            words = []
            for k, p in enumerate(parts):
                ws = self.fix_part(p)
                if k and words:     # re-attach across the hyphen
                    words[-1] += "-" + ws[0]
                    ws = ws[1:]
                words.extend(ws)
            out.extend(words)
        return " ".join(out)


def clean_phrase(s, lang, strip_article):
    """Normalise one headword or translation; return it or None if unusable."""
    s = normalize(strip_brackets(s))
    s = s.strip(" ?!:").lower()
    if strip_article:
        for art in ARTICLES[lang]:
            if s.startswith(art) and len(s) > len(art):
                rest = s[len(art):]
                # "to walk" -> "walk", but keep "to some extent", "to the left"
                if art == "to " and rest.split(" ")[0] in NOT_AFTER_TO:
                    break
                s = rest
                break
    if not PHRASE_RE.match(s) or len(s) < 2:
        return None
    if len(s.split(" ")) > MAX_WORDS:
        return None
    return s


def parse_pair(pair, src, dst, segmenter=None):
    """Return ordered list of (headword, [translations]) for one dictionary."""
    entries = []
    for head_line, body in read_dictd(pair):
        m = HEAD_RE.match(head_line)
        head = clean_phrase(m.group(1) if m else head_line, src, strip_article=False)
        if head is None:
            continue
        trans = []
        for line in body:
            line = SENSE_RE.sub("", strip_brackets(line)).strip()
            if not line:
                continue
            for piece in re.split(r"[,;]", line):
                piece = piece.strip()
                if not piece or "..." in piece or "\u2026" in piece:
                    continue
                if segmenter is not None:
                    piece = segmenter.fix(normalize(piece).strip(" ?!:"))
                t = clean_phrase(piece, dst, strip_article=True)
                if t is not None and t not in trans:
                    trans.append(t)
        entries.append((head, trans))
    return entries


def merge(direct, reverse, src_lang):
    """direct: [(head, [t])] src->dst; reverse: [(head, [t])] dst->src."""
    table = {}
    order = []

    def add(h, t):
        if h not in table:
            table[h] = []
            order.append(h)
        if t not in table[h]:
            table[h].append(t)

    for head, trans in direct:
        for t in trans:
            add(head, t)
    for head, trans in reverse:
        # the reverse dictionary's headword becomes a translation: clean it
        # like one (e.g. strip "to " / "de ")
        t = clean_phrase(head, "en" if src_lang == "nl" else "nl", strip_article=True)
        if t is None:
            continue
        for h in trans:
            add(h, t)
    return {h: ts[:MAX_TRANSLATIONS] for h, ts in table.items()}


def table_lines(table):
    return [h + "\t" + "|".join(table[h]) for h in sorted(table)]


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=30, help="sample lines to print per table")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    for p in [WDUTCH] + EN_WORDLISTS + [DICTD.format(x, y) for x in ("nld-eng", "eng-nld")
                                        for y in ("index", "dict.dz")]:
        if not os.path.exists(p):
            sys.exit("missing %s - see README.md for the packages to install" % p)

    for pkg in COPYRIGHT_PACKAGES + ["wamerican", "wbritish"]:
        try:
            ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                                 capture_output=True, text=True).stdout.strip()
        except OSError:
            ver = ""
        print("source %s %s" % (pkg, ver or "(version unknown)"))

    # 1. word list
    words = derive_words()
    size = write_gz(os.path.join(HERE, "nl-words.txt.gz"), words)
    print("nl-words.txt.gz: %d words, %d bytes" % (len(words), size))

    # 2. translation tables
    en_nl = parse_pair("eng-nld", "en", "nl")
    # word frequencies for re-segmenting glued nld-eng English translations
    english = [h for h, _ in read_dictd("eng-nld")]
    english += [line for _, body in read_dictd("nld-eng") for line in body]
    seg = EnglishSegmenter(english)
    nl_en = parse_pair("nld-eng", "nl", "en", segmenter=seg)
    print("nld-eng: %d entries, %d usable headwords with translations, "
          "%d glued English tokens re-split, %d unknown tokens kept"
          % (len(nl_en), sum(1 for _, t in nl_en if t), seg.stats["split"], seg.stats["unknown"]))
    print("eng-nld: %d entries, %d usable headwords with translations"
          % (len(en_nl), sum(1 for _, t in en_nl if t)))

    for name, direct, reverse, lang in (("nl-en.tsv.gz", nl_en, en_nl, "nl"),
                                        ("en-nl.tsv.gz", en_nl, nl_en, "en")):
        table = merge(direct, reverse, lang)
        lines = table_lines(table)
        size = write_gz(os.path.join(HERE, name), lines)
        pairs = sum(len(v) for v in table.values())
        print("%s: %d headwords, %d translations, %d bytes" % (name, len(lines), pairs, size))
        for line in rng.sample(lines, min(args.samples, len(lines))):
            print("   ", line)

    # 3. licence texts
    lic = os.path.join(HERE, "LICENSES")
    os.makedirs(lic, exist_ok=True)
    # Both FreeDict packages ship the same copyright file (one for all of FreeDict).
    shutil.copyfile("/usr/share/doc/wdutch/copyright", os.path.join(lic, "wdutch.copyright"))
    shutil.copyfile("/usr/share/doc/dict-freedict-nld-eng/copyright",
                    os.path.join(lic, "freedict.copyright"))
    print("copied 2 copyright files to LICENSES/")


if __name__ == "__main__":
    main()
