//! The loading pipeline, as pure steps the embed boundary drives between fetches:
//! validate the dataset → (fetch the commune table only if needed) → resolve places → build the index.

use crate::filter::Index;
use crate::model::Dataset;
use crate::report::DataReport;
use crate::territory::{resolve_dataset, Communes, Territories};

/// A dataset ready to explore, with what validation had to say about it.
pub struct Explorer {
    pub index: Index,
    pub report: DataReport,
}

/// Resolves places and builds the index. `communes` is the commune table, or why it could not be loaded
/// (then places given only by commune code fall back to their department's centre). The embed boundary uses it for
/// the first records shown while loading; for the whole dataset it runs the same steps in browser tasks
/// (`resolve_dataset`, then `WordIndexBuilder` and `IndexBuilder` a slice of records at a time).
pub fn build_explorer(
    mut dataset: Dataset,
    mut report: DataReport,
    territories: Territories,
    communes: Result<&Communes, &str>,
) -> Explorer {
    resolve_dataset(&mut dataset, &territories, communes, &mut report);
    Explorer { index: Index::build(dataset, territories), report }
}
