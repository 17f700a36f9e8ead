//! Native profile of the loading pipeline: time and heap per step (`make profile-load`, docs/PERFORMANCE.md).
//!
//! ```sh
//! cargo run --release --example profile_load -- target/bench/innovations-100k.json
//! ```
//!
//! Runs the steps the widget runs after the fetch, each whole (`schema::validate`, `outlines::read`,
//! `territory::resolve_dataset`, `Index::build`), on a dataset file and prints, per step, the wall time, the live
//! heap after it and the peak heap during it (a counting global allocator). Native x86_64 figures: the wasm build in
//! Chromium is slower and its linear memory never shrinks, so its size is the peak (plus the allocator's
//! fragmentation).
//!
//! Then times the free-text search (`Index::text_mask`) on the index built: each query, best of 5, and a query typed
//! letter by letter (each keystroke computed anew: the search caches nothing).

// Native only: the wasm32 build of the examples (`make lint`) gets an empty `main` (and keeps the crate's allocator).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    use std::time::Instant;

    use essaimage::filter::Index;
    use essaimage::schema::{validate, ValidateOptions};
    use essaimage::territory::{resolve_dataset, Territories};

    struct Counting;
    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let live = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(live, Relaxed);
            System.alloc(l)
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            LIVE.fetch_sub(l.size(), Relaxed);
            System.dealloc(p, l)
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            // Counted as the allocator that backs a wasm build counts it: both blocks alive during the copy.
            let live = LIVE.fetch_add(new, Relaxed) + new;
            PEAK.fetch_max(live, Relaxed);
            LIVE.fetch_sub(l.size(), Relaxed);
            System.realloc(p, l, new)
        }
    }

    #[global_allocator]
    static A: Counting = Counting;

    fn mb(b: usize) -> f64 {
        b as f64 / 1e6
    }

    fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        let t = Instant::now();
        let out = f();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "PROFILE {name:<12} {ms:>8.1} ms   live after {:>7.1} MB   peak during {:>7.1} MB",
            mb(LIVE.load(Relaxed)),
            mb(PEAK.load(Relaxed))
        );
        out
    }

    pub fn main() {
        let path = std::env::args().nth(1).unwrap_or_else(|| "target/bench/innovations-100k.json".into());
        let bytes = step("read", || std::fs::read(&path).expect("dataset file"));
        let opts = ValidateOptions { url: path.clone(), current_year: 2026, max_bytes: u64::MAX };
        // The layout scan the widget runs on each piece as the file downloads (`json::Scanner`).
        step("scan", || {
            let mut scanner = essaimage::json::Scanner::new("innovations");
            bytes.chunks(1 << 16).for_each(|piece| scanner.feed(piece));
            scanner.finish().expect("a layout")
        });
        let (dataset, report) = step("validate", || validate(&bytes, &opts).expect("dataset loads"));
        step("drop bytes", || drop(bytes));
        // The outlines: what the widget reads (the outlines file), and what it read before the file existed (the
        // GeoJSON parsed, then its 12,028 points projected for the base map).
        let territories =
            step("territories", || essaimage::outlines::read(essaimage::outlines::FILE).expect("outlines"));
        step("base map", || essaimage::geo::Basemap::new(&territories));
        let geo = std::fs::read_to_string("static/data/france-departments.geojson").expect("departments");
        step("territories from the GeoJSON, projected", || Territories::from_geojson(&geo).expect("outlines"));
        let (mut dataset, mut report) = (dataset, report);
        step("resolve", || resolve_dataset(&mut dataset, &territories, Err("not needed"), &mut report));
        // The packed form (`essaimage pack`): written once by the tool, read by the widget's build for packs instead
        // of validate and resolve.
        let pack = step("pack write", || essaimage::pack::write(&dataset, &report));
        println!("PROFILE pack bytes {}", pack.len());
        let unpacked = step("pack read", || essaimage::pack::read(&pack).expect("the pack reads back"));
        assert!(unpacked.0 == dataset && unpacked.1 == report, "the pack gives the same dataset and report");
        drop((unpacked, pack));
        let words = step("index words", || {
            let mut words = essaimage::search::WordIndexBuilder::new(dataset.innovations.len());
            while words.add(&dataset.innovations, 5_000) {}
            words.finish()
        });
        let builder = step("index facets", || {
            let mut builder = essaimage::filter::IndexBuilder::new(dataset.clone(), territories.clone());
            while builder.add(5_000) {}
            builder
        });
        step("index finish", || builder.finish(words));
        let index = step("index", || Index::build(dataset, territories));
        println!("PROFILE records {} problems {}", index.len(), report.problems.len());
        search(&index);
    }

    fn search(index: &Index) {
        let time = |q: &str| {
            let t = Instant::now();
            let matches = index.text_mask(q).map_or(0, |m| m.count());
            (t.elapsed().as_secs_f64() * 1e3, matches)
        };
        for q in ["r", "re", "rec", "recyclerie", "coopérative quartier", "zzz", "e", "seau", "paris emploi"] {
            let best = (0..5).map(|_| time(q)).fold((f64::MAX, 0), |a, b| if b.0 < a.0 { b } else { a });
            println!("SEARCH {:<24} {:>8.3} ms   {:>6} matches", format!("{q:?}"), best.0, best.1);
        }
        let typed = "recyclerie quartier";
        let mut total = 0.0;
        for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let (ms, matches) = time(&typed[..end]);
            total += ms;
            println!("TYPING {:<24} {:>8.3} ms   {:>6} matches", format!("{:?}", &typed[..end]), ms, matches);
        }
        println!("TYPING total {total:.3} ms");
    }
}
