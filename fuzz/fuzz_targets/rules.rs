//! The rule-file loader: any text as a user rule file, next to the shipped rules.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skew::fuzzing::tolerate_guarded_panics();
    skew::fuzzing::rules(data);
});
