//! Version sets as unions of intervals, and the tri-state check built on them.
//!
//! Every ecosystem's range syntax (npm `^1.2`, PEP 440 `~=1.4`, Maven `[1.0,2.0)`, a
//! Docker tag `8.0`) is lowered to a [`VersionSet`] over that ecosystem's [`Version`]
//! order; from then on containment, intersection and the "always / never / may" verdict
//! are the same code for every ecosystem. This module must not know any syntax.

use std::cmp::Ordering;
use std::fmt;

use super::Version;

/// One end of an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Unbounded,
    Included(Version),
    Excluded(Version),
}

/// A contiguous run of versions `lo .. hi`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub lo: Bound,
    pub hi: Bound,
}

impl Interval {
    pub fn all() -> Self {
        Interval {
            lo: Bound::Unbounded,
            hi: Bound::Unbounded,
        }
    }

    pub fn exact(v: Version) -> Self {
        Interval {
            lo: Bound::Included(v.clone()),
            hi: Bound::Included(v),
        }
    }

    pub fn contains(&self, v: &Version) -> bool {
        let lo_ok = match &self.lo {
            Bound::Unbounded => true,
            Bound::Included(l) => l <= v,
            Bound::Excluded(l) => l < v,
        };
        let hi_ok = match &self.hi {
            Bound::Unbounded => true,
            Bound::Included(h) => v <= h,
            Bound::Excluded(h) => v < h,
        };
        lo_ok && hi_ok
    }

    fn is_empty(&self) -> bool {
        match (&self.lo, &self.hi) {
            (Bound::Included(l), Bound::Included(h)) => l > h,
            (Bound::Included(l), Bound::Excluded(h))
            | (Bound::Excluded(l), Bound::Included(h))
            | (Bound::Excluded(l), Bound::Excluded(h)) => l >= h,
            _ => false,
        }
    }

    fn intersect(&self, other: &Interval) -> Interval {
        Interval {
            lo: max_lo(&self.lo, &other.lo),
            hi: min_hi(&self.hi, &other.hi),
        }
    }
}

fn cmp_lo(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Less,
        (_, Bound::Unbounded) => Ordering::Greater,
        (Bound::Included(x), Bound::Included(y)) | (Bound::Excluded(x), Bound::Excluded(y)) => {
            x.cmp(y)
        }
        (Bound::Included(x), Bound::Excluded(y)) => x.cmp(y).then(Ordering::Less),
        (Bound::Excluded(x), Bound::Included(y)) => x.cmp(y).then(Ordering::Greater),
    }
}

fn cmp_hi(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Greater,
        (_, Bound::Unbounded) => Ordering::Less,
        (Bound::Included(x), Bound::Included(y)) | (Bound::Excluded(x), Bound::Excluded(y)) => {
            x.cmp(y)
        }
        (Bound::Included(x), Bound::Excluded(y)) => x.cmp(y).then(Ordering::Greater),
        (Bound::Excluded(x), Bound::Included(y)) => x.cmp(y).then(Ordering::Less),
    }
}

fn max_lo(a: &Bound, b: &Bound) -> Bound {
    if cmp_lo(a, b) == Ordering::Less {
        b.clone()
    } else {
        a.clone()
    }
}

fn min_hi(a: &Bound, b: &Bound) -> Bound {
    if cmp_hi(a, b) == Ordering::Greater {
        b.clone()
    } else {
        a.clone()
    }
}

/// Does an interval ending at `hi` touch or overlap one starting at `lo`?
fn touches(hi: &Bound, lo: &Bound) -> bool {
    match (hi, lo) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => true,
        (Bound::Included(h), Bound::Included(l)) => l <= h,
        (Bound::Included(h), Bound::Excluded(l)) | (Bound::Excluded(h), Bound::Included(l)) => {
            l <= h
        }
        (Bound::Excluded(h), Bound::Excluded(l)) => l < h,
    }
}

/// A set of versions: a sorted union of disjoint intervals. The empty set admits nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionSet {
    intervals: Vec<Interval>,
}

impl VersionSet {
    pub fn empty() -> Self {
        VersionSet {
            intervals: Vec::new(),
        }
    }

    pub fn all() -> Self {
        VersionSet {
            intervals: vec![Interval::all()],
        }
    }

    pub fn exact(v: Version) -> Self {
        VersionSet {
            intervals: vec![Interval::exact(v)],
        }
    }

    /// `>= v`
    pub fn at_least(v: Version) -> Self {
        Self::from_interval(Interval {
            lo: Bound::Included(v),
            hi: Bound::Unbounded,
        })
    }

    /// `> v`
    pub fn above(v: Version) -> Self {
        Self::from_interval(Interval {
            lo: Bound::Excluded(v),
            hi: Bound::Unbounded,
        })
    }

    /// `<= v`
    pub fn at_most(v: Version) -> Self {
        Self::from_interval(Interval {
            lo: Bound::Unbounded,
            hi: Bound::Included(v),
        })
    }

    /// `< v`
    pub fn below(v: Version) -> Self {
        Self::from_interval(Interval {
            lo: Bound::Unbounded,
            hi: Bound::Excluded(v),
        })
    }

    /// `lo <= x < hi`
    pub fn half_open(lo: Version, hi: Version) -> Self {
        Self::from_interval(Interval {
            lo: Bound::Included(lo),
            hi: Bound::Excluded(hi),
        })
    }

    /// The versions every set admits: comparators joined by AND (`>=1.2, <2`). The first
    /// error stops the parse; no sets at all admit every version.
    pub fn all_of<E>(sets: impl IntoIterator<Item = Result<VersionSet, E>>) -> Result<Self, E> {
        sets.into_iter()
            .try_fold(VersionSet::all(), |acc, s| Ok(acc.intersect(&s?)))
    }

    /// The versions any set admits: alternatives joined by OR (`^1.2 || ^2`). The first
    /// error stops the parse; no sets at all admit no version.
    pub fn any_of<E>(sets: impl IntoIterator<Item = Result<VersionSet, E>>) -> Result<Self, E> {
        sets.into_iter()
            .try_fold(VersionSet::empty(), |acc, s| Ok(acc.union(&s?)))
    }

    pub fn from_interval(i: Interval) -> Self {
        Self::from_intervals(vec![i])
    }

    /// Normalise any list of intervals: drop empty ones, sort, merge overlaps.
    pub fn from_intervals(mut list: Vec<Interval>) -> Self {
        list.retain(|i| !i.is_empty());
        list.sort_by(|a, b| cmp_lo(&a.lo, &b.lo));
        let mut out: Vec<Interval> = Vec::with_capacity(list.len());
        for i in list {
            if let Some(last) = out.last_mut()
                && touches(&last.hi, &i.lo)
            {
                if cmp_hi(&i.hi, &last.hi) == Ordering::Greater {
                    last.hi = i.hi;
                }
                continue;
            }
            out.push(i);
        }
        VersionSet { intervals: out }
    }

    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    pub fn contains(&self, v: &Version) -> bool {
        self.intervals.iter().any(|i| i.contains(v))
    }

    pub fn union(&self, other: &VersionSet) -> VersionSet {
        let mut all = self.intervals.clone();
        all.extend(other.intervals.iter().cloned());
        Self::from_intervals(all)
    }

    pub fn intersect(&self, other: &VersionSet) -> VersionSet {
        let mut out = Vec::new();
        for a in &self.intervals {
            for b in &other.intervals {
                out.push(a.intersect(b));
            }
        }
        Self::from_intervals(out)
    }

    pub fn complement(&self) -> VersionSet {
        let mut out = Vec::new();
        let mut lo = Bound::Unbounded;
        for i in &self.intervals {
            let hi = match &i.lo {
                Bound::Unbounded => {
                    lo = flip(&i.hi);
                    continue;
                }
                Bound::Included(v) => Bound::Excluded(v.clone()),
                Bound::Excluded(v) => Bound::Included(v.clone()),
            };
            out.push(Interval { lo, hi });
            lo = flip(&i.hi);
        }
        if self.intervals.is_empty() {
            return VersionSet::all();
        }
        if !matches!(self.intervals.last().map(|i| &i.hi), Some(Bound::Unbounded)) {
            out.push(Interval {
                lo,
                hi: Bound::Unbounded,
            });
        }
        Self::from_intervals(out)
    }

    pub fn difference(&self, other: &VersionSet) -> VersionSet {
        self.intersect(&other.complement())
    }

    pub fn is_subset(&self, other: &VersionSet) -> bool {
        self.difference(other).is_empty()
    }

    /// Every version greater than all versions of this set (empty when the set has no
    /// upper bound; everything when the set is empty).
    pub fn above_all(&self) -> VersionSet {
        match self.intervals.last().map(|i| &i.hi) {
            None => VersionSet::all(),
            Some(Bound::Unbounded) => VersionSet::empty(),
            Some(hi) => Self::from_interval(Interval {
                lo: flip(hi),
                hi: Bound::Unbounded,
            }),
        }
    }

    /// The smallest version in the set, when the set has an inclusive lower bound.
    pub fn min_version(&self) -> Option<&Version> {
        match self.intervals.first().map(|i| &i.lo) {
            Some(Bound::Included(v)) => Some(v),
            _ => None,
        }
    }
}

fn flip(b: &Bound) -> Bound {
    match b {
        Bound::Unbounded => Bound::Unbounded,
        Bound::Included(v) => Bound::Excluded(v.clone()),
        Bound::Excluded(v) => Bound::Included(v.clone()),
    }
}

impl fmt::Display for VersionSet {
    /// Human description: `>=1.2.0, <2.0.0 || 3.1.0`; `any version`; `no version`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.intervals.is_empty() {
            return f.write_str("no version");
        }
        for (n, i) in self.intervals.iter().enumerate() {
            if n > 0 {
                f.write_str(" || ")?;
            }
            match (&i.lo, &i.hi) {
                (Bound::Unbounded, Bound::Unbounded) => f.write_str("any version")?,
                (Bound::Included(a), Bound::Included(b)) if a == b => write!(f, "{a}")?,
                (lo, hi) => {
                    let mut parts = Vec::new();
                    match lo {
                        Bound::Included(v) => parts.push(format!(">={v}")),
                        Bound::Excluded(v) => parts.push(format!(">{v}")),
                        Bound::Unbounded => {}
                    }
                    match hi {
                        Bound::Included(v) => parts.push(format!("<={v}")),
                        Bound::Excluded(v) => parts.push(format!("<{v}")),
                        Bound::Unbounded => {}
                    }
                    f.write_str(&parts.join(", "))?
                }
            }
        }
        Ok(())
    }
}

/// How a declared range relates to a requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every version the declaration admits meets the requirement.
    Always,
    /// No version the declaration admits meets it.
    Never,
    /// Some do, some don't; `failing` is the part of the declaration that does not.
    May { failing: VersionSet },
}

/// The tri-state check for a release line that resolves to its newest release (`FROM
/// node:22`, `.nvmrc` `22`, `python:3.13-slim`: what runs is the newest 22.x at build
/// time). `line` is the line's versions (`>=22, <23`). The newest release meets
/// `required` when an interval of `required` starts below the line's end and reaches it:
/// a lower bound inside the line is met (`>=22.12.0`), and so is `^22`, which stops at
/// 23's pre-releases. An upper bound inside the line (`<22.3.1`) is a real "may": the
/// newest release may be past it; `failing` is then the part of the line above the bound.
/// A line that is not one half-open interval is checked as [`verdict`] checks any set.
pub fn newest_verdict(line: &VersionSet, required: &VersionSet) -> Verdict {
    let [
        Interval {
            lo: line_lo,
            hi: Bound::Excluded(end),
        },
    ] = line.intervals()
    else {
        return verdict(line, required);
    };
    let reaches_end = |i: &Interval| below_end(&i.lo, end) && at_or_past_end(&i.hi, end);
    if required.intervals().iter().any(reaches_end) {
        return Verdict::Always;
    }
    let overlap = line.intersect(required);
    if !overlap.intervals().iter().any(|i| below_end(&i.lo, end)) {
        return Verdict::Never;
    }
    // the newest release falls above every part of `required` inside the line
    let top = Interval {
        lo: overlap
            .intervals()
            .last()
            .map(|i| flip(&i.hi))
            .unwrap_or_else(|| line_lo.clone()),
        hi: Bound::Excluded(end.clone()),
    };
    Verdict::May {
        failing: VersionSet::from_interval(top),
    }
}

/// Does an interval starting at `lo` start before the release `end`? A pre-release of
/// `end` (`23.0.0-0`) is no earlier release: nothing but pre-releases lies between.
fn below_end(lo: &Bound, end: &Version) -> bool {
    match lo {
        Bound::Unbounded => true,
        Bound::Included(v) | Bound::Excluded(v) => v < end && !same_release(v, end),
    }
}

/// Does an interval ending at `hi` reach the release `end`, leaving no release of the
/// line above it? Stopping at `end`'s pre-releases (`<23.0.0-0`) does.
fn at_or_past_end(hi: &Bound, end: &Version) -> bool {
    match hi {
        Bound::Unbounded => true,
        Bound::Included(v) => v >= end,
        Bound::Excluded(v) => v >= end || same_release(v, end),
    }
}

/// The same release numbers, padded with zeros (`23.0.0-0` and `23`).
fn same_release(a: &Version, b: &Version) -> bool {
    let (a, b) = (a.release(), b.release());
    let n = a.len().max(b.len());
    (0..n).all(|i| a.get(i).unwrap_or(&0) == b.get(i).unwrap_or(&0))
}

/// The tri-state check: does every version in `declared` satisfy `required`?
pub fn verdict(declared: &VersionSet, required: &VersionSet) -> Verdict {
    let failing = declared.difference(required);
    if failing.is_empty() {
        Verdict::Always
    } else if declared.intersect(required).is_empty() {
        Verdict::Never
    } else {
        Verdict::May { failing }
    }
}
