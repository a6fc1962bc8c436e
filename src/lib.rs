//! siodoc: the BTS SIO exam paperwork of a whole class, from one workbook.
//!
//! Data flows one way: the class workbook is read into a model, validated against the embedded
//! référentiel, then rendered and archived. This crate holds every stage; the `siodoc` binary
//! is a thin command-line layer on top. Nothing here writes to the terminal.

pub mod archive;
pub mod chargement;
pub mod classeur;
pub mod diagnostic;
pub mod entree;
pub mod erreur;
pub mod fichier;
pub mod officiel;
pub mod polices;
pub mod referentiel;
pub mod rendu;
pub mod session;
pub mod verification;

pub use erreur::Erreur;
