//! Every extractor, one target: the first input byte picks a file name from
//! `skew::fuzzing::names()` (one per extractor, so each extractor is reached), the
//! rest is the file's bytes, decoded as the scanner decodes them. Then the problems are
//! rendered as the human report does, so snippets of odd text are exercised too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skew::fuzzing::tolerate_guarded_panics();
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    skew::fuzzing::extract(pick, bytes);
});
