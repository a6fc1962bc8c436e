//! Rendering: model → documents. [`formulaires`] turns the class into one data file per
//! document, [`moteur`] lays them out with Typst, [`generation`] writes them all.

pub mod formulaires;
pub mod moteur;
