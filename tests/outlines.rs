//! The department outlines file the widget downloads (`static/data/france-departments.bin`, `src/outlines.rs`) is
//! made from the GeoJSON and gives exactly its territories: this test fails when the file differs from what the
//! GeoJSON gives; `ESSAIMAGE_BLESS=1 cargo test --test outlines` writes it again.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;

use essaimage::geo::Basemap;
use essaimage::load::{build_loaded, load_pieces, Setup};
use essaimage::outlines::{self, MAGIC, VERSION};
use essaimage::schema::{validate, ValidateOptions};
use essaimage::territory::Territories;

const GEOJSON: &str = include_str!("../static/data/france-departments.geojson");
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/france-departments.bin");

fn from_geojson() -> Territories {
    Territories::from_geojson(GEOJSON).expect("the GeoJSON")
}

fn file() -> Vec<u8> {
    fs::read(FILE).expect("static/data/france-departments.bin")
}

#[test]
fn the_outlines_file_is_the_one_the_geojson_makes() {
    let expected = outlines::write(&from_geojson()).expect("4 decimals");
    if fs::read(FILE).ok().as_ref() == Some(&expected) {
        return;
    }
    if std::env::var_os("ESSAIMAGE_BLESS").is_some() {
        fs::write(FILE, &expected).expect("write static/data/france-departments.bin");
        return;
    }
    panic!("static/data/france-departments.bin differs from what the GeoJSON makes: `ESSAIMAGE_BLESS=1 cargo test --test outlines`");
}

#[test]
fn the_file_gives_exactly_the_territories_and_the_base_map_of_the_geojson() {
    let geojson = from_geojson();
    let read = outlines::read(&file()).expect("the outlines file");
    // Every field: codes, names, regions, the outlines to the last bit, centres, the canvas points and the frame.
    assert_eq!(read, geojson);
    assert_eq!(read.departments.len(), 101);
    assert_eq!(Basemap::new(&read), Basemap::new(&geojson));
    // The file is much smaller than the GeoJSON, though it holds the outlines twice (degrees and canvas).
    assert!(file().len() * 2 < GEOJSON.len(), "{} B against {} B", file().len(), GEOJSON.len());
}

#[test]
fn the_canvas_points_are_the_projection_of_the_outlines() {
    let t = outlines::read(&file()).unwrap();
    let layout = essaimage::geo::Layout::new(&t);
    for (d, dep) in t.departments.iter().enumerate() {
        for (poly, canvas) in dep.polygons.iter().zip(&dep.canvas) {
            for (ring, canvas_ring) in poly.iter().zip(canvas) {
                // Each canvas point is a projected point, in tenths, and every projected point is on the ring (a
                // point equal to the one before is dropped).
                let projected: Vec<[i32; 2]> = ring
                    .iter()
                    .map(|p| layout.project(essaimage::model::LonLat { lon: p[0], lat: p[1] }, Some(d)))
                    .map(|[x, y]| [(x * 10.0).round() as i32, (y * 10.0).round() as i32])
                    .collect();
                let mut deduped = projected.clone();
                deduped.dedup();
                assert_eq!(canvas_ring, &deduped, "department {}", dep.code);
            }
        }
    }
    // Paris is drawn inside metropolitan France's part of the canvas, La Réunion in its inset on the left.
    let basemap = Basemap::new(&t);
    let bbox = |code: &str| basemap.departments[t.department_index(code).unwrap()].bbox;
    assert!(bbox("75")[0] > 176.0 && bbox("75")[2] < 1000.0, "{:?}", bbox("75"));
    assert!(bbox("974")[2] < 176.0, "{:?}", bbox("974"));
}

#[test]
fn a_damaged_truncated_foreign_or_other_version_file_is_refused_with_its_reason() {
    let bytes = file();
    for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
        let e = outlines::read(&bytes[..cut]).unwrap_err();
        let expected =
            if cut < MAGIC.len() { "not an Essaimage outlines file" } else { "outlines file damaged or cut short" };
        assert_eq!(e, expected, "cut at {cut}");
    }
    for at in (0..bytes.len()).step_by(89) {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        assert!(outlines::read(&flipped).is_err(), "byte {at} flipped");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(outlines::read(&longer).unwrap_err(), "outlines file damaged or cut short");
    let mut other = bytes.clone();
    other[MAGIC.len()..MAGIC.len() + 2].copy_from_slice(&(VERSION + 1).to_le_bytes());
    // Another version gets the same message: the fix is the same (copy the widget's whole folder, data/ included).
    assert_eq!(outlines::read(&other).unwrap_err(), "outlines file damaged or cut short");
    assert_eq!(outlines::read(GEOJSON.as_bytes()).unwrap_err(), "not an Essaimage outlines file");
    assert_eq!(outlines::read(b"<!doctype html><p>Not found").unwrap_err(), "not an Essaimage outlines file");
}

#[test]
fn a_body_that_holds_what_the_checks_refuse_is_refused_even_with_a_right_sum() {
    // A body whose Adler-32 and length are right, but which does not hold outlines as the format says: the
    // reader's own checks (the values themselves are the checked file's).
    let seal = outlines::seal;
    let frame: Vec<u8> = [1.0f64, 2.0, 3.0, 4.0].iter().flat_map(|v| v.to_le_bytes()).collect();
    let department = |region: &[u8], points: &[u8]| {
        let mut body = frame.clone();
        body.extend_from_slice(&[1, 2, b'0', b'1', 3, b'A', b'i', b'n']);
        body.push(region.len() as u8);
        body.extend_from_slice(region);
        body.extend_from_slice(&[1, 1]);
        body.extend_from_slice(points);
        body
    };
    // A ring's points: their count, then each coordinate zigzag-encoded as a varint.
    let ring = |points: &[i64]| {
        let mut out = vec![(points.len() / 2) as u8];
        for &v in points {
            let mut z = ((v << 1) ^ (v >> 63)) as u64;
            while z >= 0x80 {
                out.push(z as u8 | 0x80);
                z >>= 7;
            }
            out.push(z as u8);
        }
        out
    };
    // One ring of one point (lon 2°, lat 46°), one canvas point.
    let good = department(b"84", &[ring(&[20_000, 460_000]), ring(&[1, 1])].concat());
    let t = outlines::read(&seal(&good)).expect("a one-department file");
    assert_eq!((t.departments[0].polygons[0][0][0], t.departments[0].canvas[0][0][0]), ([2.0, 46.0], [1, 1]));
    assert_eq!(t.metro, [1.0, 2.0, 3.0, 4.0]);
    let cases: [(&str, Vec<u8>); 2] = [
        ("unknown region", department(b"99", &[ring(&[20_000, 460_000]), ring(&[1, 1])].concat())),
        ("a byte left over", [good.clone(), vec![0]].concat()),
    ];
    for (what, body) in cases {
        assert!(outlines::read(&seal(&body)).is_err(), "{what}");
    }
}

#[test]
fn a_dataset_loads_with_the_outlines_file_as_with_the_geojson_territories() {
    let dataset = include_bytes!("../static/innovations-demo.json").to_vec();
    let options = || ValidateOptions { url: "demo.json".into(), current_year: 2026, max_bytes: u64::MAX };
    let setup = |departments: Vec<u8>| Setup {
        options: options(),
        departments,
        departments_url: "data/france-departments.bin".into(),
    };
    let loaded = load_pieces(setup(file()), [dataset.clone()], || Err("no commune table".into())).expect("the demo");
    // The reference: validated at once, places resolved and indexed with the territories of the GeoJSON.
    let (d, report) = validate(&dataset, &options()).expect("the demo");
    let reference = build_loaded(d, report, from_geojson(), Err("no commune table"));
    assert_eq!(loaded.index.territories, reference.index.territories);
    assert_eq!(loaded.index.dataset, reference.index.dataset);
    assert_eq!(format!("{:?}", loaded.report), format!("{:?}", reference.report));
    // A file cut short is a fatal error naming its address.
    let e = load_pieces(setup(file()[..100].to_vec()), [dataset], || Err("no commune table".into())).err();
    assert!(
        format!("{e:?}").contains("data/france-departments.bin") && format!("{e:?}").contains("cut short"),
        "{e:?}"
    );
}
