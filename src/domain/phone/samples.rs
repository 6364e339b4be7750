//! Valid numbers of a country made on demand, for `stockroom load`: a load
//! buyer's phone must be one the shop's checkout accepts.

use phonenumber::metadata::DATABASE;

use super::{Country, Phone};

/// Digits of a sample that vary at most: 10⁸ numbers are plenty for a run.
const VARYING_DIGITS_MAX: usize = 8;

/// Numbers tried after the one asked for before giving up on a range.
const TRIES_MAX: u64 = 10_000;

/// How far each try jumps: a prime, so that tries leave a block of invalid
/// numbers (a United States exchange starting with 0) at once, and visit
/// a range's every number before coming back.
const STRIDE: u64 = 1_000_003;

/// A range of numbers of one country: the metadata's example mobile number
/// (a fixed line where it has none) with its last digits varying.
#[derive(Clone, Debug)]
pub struct SampleNumbers {
    country: Country,
    /// The example's national number.
    example: String,
    /// How many of its last digits vary.
    varying: usize,
}

impl SampleNumbers {
    pub fn of(country: Country) -> SampleNumbers {
        let example = DATABASE
            .by_id(country.code())
            .and_then(|meta| {
                let kinds = meta.descriptors();
                let mobile = kinds.mobile().and_then(|d| d.example());
                mobile.or_else(|| kinds.fixed_line().and_then(|d| d.example()))
            })
            .unwrap_or_default()
            .to_owned();
        // The first two digits stay: they choose the kind of line.
        let varying = example.len().saturating_sub(2).min(VARYING_DIGITS_MAX);
        SampleNumbers {
            country,
            example,
            varying,
        }
    }

    /// How many numbers the range spans; `nth` wraps around it.
    pub fn len(&self) -> u64 {
        10u64.pow(self.varying as u32)
    }

    /// Whether the range is a single number.
    pub fn is_empty(&self) -> bool {
        self.varying == 0
    }

    /// The `n`-th number of the range if it is valid, else the first valid
    /// one of the tries after it: distinct `n` below `len()` give distinct
    /// numbers where every number of the range is valid (Côte d'Ivoire's
    /// mobiles, say). `None` only if none of the numbers tried is valid.
    pub fn nth(&self, n: u64) -> Option<Phone> {
        let kept = &self.example[..self.example.len() - self.varying];
        (0..TRIES_MAX).find_map(|step| {
            let tail = (n % self.len() + step * STRIDE) % self.len();
            let national = format!("{kept}{tail:0width$}", width = self.varying);
            Phone::normalise(&national, self.country).ok()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ivorian_samples_are_distinct_valid_mobiles() {
        let numbers = SampleNumbers::of(Country::DEFAULT);
        assert_eq!(numbers.len(), 100_000_000);
        let made: Vec<Phone> = (0..1000).filter_map(|n| numbers.nth(n * 7919)).collect();
        assert_eq!(made.len(), 1000);
        let mut distinct = made.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 1000);
        assert!(
            made.iter().all(|p| p.as_str().starts_with("+22501")),
            "{made:?}"
        );
    }

    #[test]
    fn every_country_gives_valid_samples() {
        for code in ["FR", "US", "SN", "GB", "DE", "IT", "BR", "IN", "NG", "CM"] {
            let country = Country::parse(code).expect("a country");
            let numbers = SampleNumbers::of(country);
            for n in [0, 1, 12_345, numbers.len() - 1] {
                let phone = numbers.nth(n).expect("a valid sample");
                assert_eq!(Phone::normalise(phone.as_str(), country), Ok(phone));
            }
        }
    }
}
