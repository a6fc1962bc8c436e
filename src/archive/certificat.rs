//! The sealing certificate: an RSA or ECDSA P-256 key and its chain, read from a PKCS#12 (.p12, .pfx) file.

use std::path::Path;

use der::Decode;
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use x509_cert::Certificate;

use crate::erreur::Erreur;

/// The private key: RSA, the usual case, or ECDSA on P-256.
pub(crate) enum Cle {
    Rsa(PrivateKey),
    P256(p256::ecdsa::SigningKey),
}

/// What signs: the private key, the signer's certificate first, then the rest of its chain.
pub struct Certificat {
    pub(crate) cle: Cle,
    pub(crate) chaine: Vec<Certificate>,
}

impl std::fmt::Debug for Certificat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Certificat")
            .field("titulaire", &self.titulaire())
            .finish()
    }
}

/// Most key-derivation rounds accepted (MAC and PBE parameters of a PKCS#12).
const ITERATIONS_MAX: u64 = 2_000_000;

/// The largest iteration count a PKCS#12 announces in clear: every INTEGER that follows an OCTET
/// STRING (the salt) in a SEQUENCE is one (MacData, PBES1 and PBKDF2 parameters); certificates
/// have no such pair. Nested DER (in OCTET STRINGs) is walked too, within a depth and a budget.
fn iterations_max(octets: &[u8]) -> u64 {
    use der::{Decode, Tagged};
    fn visiter(octets: &[u8], profondeur: usize, noeuds: &mut usize, max: &mut u64) {
        if profondeur > 24 || *noeuds > 100_000 {
            return;
        }
        let Ok(mut r) = der::SliceReader::new(octets) else {
            return;
        };
        let mut elements: Vec<der::asn1::AnyRef> = Vec::new();
        while !der::Reader::is_finished(&r) {
            let Ok(a) = der::asn1::AnyRef::decode(&mut r) else {
                return;
            };
            *noeuds += 1;
            elements.push(a);
        }
        for paire in elements.windows(2) {
            if paire[0].tag() == der::Tag::OctetString && paire[1].tag() == der::Tag::Integer {
                let v = paire[1].value();
                let n = if v.len() > 8 {
                    u64::MAX
                } else {
                    v.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b))
                };
                *max = (*max).max(n);
            }
        }
        for a in elements {
            if a.tag().is_constructed() || a.tag() == der::Tag::OctetString {
                visiter(a.value(), profondeur + 1, noeuds, max);
            }
        }
    }
    let mut max = 0;
    let mut noeuds = 0;
    visiter(octets, 0, &mut noeuds, &mut max);
    max
}

impl Certificat {
    /// Reads a PKCS#12 file and checks its outer structure, so that a wrong file is refused
    /// before a password is asked for.
    pub fn lire(chemin: &Path) -> Result<Vec<u8>, Erreur> {
        let octets = crate::entree::lire(chemin, 1 << 20)?;
        // PFX ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, macData OPTIONAL }
        let structure = der::asn1::AnyRef::from_der(&octets).ok().and_then(|pfx| {
            use der::Tagged;
            (pfx.tag() == der::Tag::Sequence).then_some(())?;
            let mut lecteur = der::SliceReader::new(pfx.value()).ok()?;
            let v: der::asn1::Int = der::Decode::decode(&mut lecteur).ok()?;
            (v.as_bytes() == [3]).then_some(())
        });
        if structure.is_none() {
            return Err(Erreur::Certificat {
                chemin: chemin.to_path_buf(),
                message: "ce n'est pas un fichier PKCS#12 (.p12, .pfx) ; exportez le certificat avec sa clé \
                          privée au format PKCS#12"
                    .into(),
            });
        }
        // Each key derivation runs as many rounds as the file asks: an absurd count would keep
        // siodoc busy for hours before the password could even be checked.
        let iterations = iterations_max(&octets);
        if iterations > ITERATIONS_MAX {
            return Err(Erreur::Certificat {
                chemin: chemin.to_path_buf(),
                message: format!(
                    "le fichier demande {iterations} tours de dérivation de clé ; siodoc en accepte au plus \
                     {ITERATIONS_MAX} (les outils courants en font de 2 000 à 600 000) : fichier anormal, \
                     exportez de nouveau le certificat"
                ),
            });
        }
        Ok(octets)
    }

    /// Reads a PKCS#12 file protected by `mot_de_passe`.
    pub fn charger(chemin: &Path, mot_de_passe: &str) -> Result<Self, Erreur> {
        let octets = Self::lire(chemin)?;
        Self::depuis_octets(chemin, &octets, mot_de_passe)
    }

    /// The same, from the bytes [`Certificat::lire`] returned.
    pub fn depuis_octets(chemin: &Path, octets: &[u8], mot_de_passe: &str) -> Result<Self, Erreur> {
        let erreur = |message: String| Erreur::Certificat {
            chemin: chemin.to_path_buf(),
            message,
        };
        let magasin = p12_keystore::KeyStore::from_pkcs12(
            octets,
            mot_de_passe,
            p12_keystore::Pkcs12ImportPolicy::Strict,
        )
        .map_err(|e| {
            erreur(match e {
                p12_keystore::error::Error::MacError(_) => {
                    "mot de passe incorrect (ou fichier PKCS#12 endommagé)".to_string()
                }
                autre => format!(
                    "ce n'est pas un fichier PKCS#12 (.p12, .pfx) lisible ; exportez le certificat \
                     avec sa clé privée au format PKCS#12 (détail : {autre})"
                ),
            })
        })?;
        let (_, trousseau) = magasin.private_key_chain().ok_or_else(|| {
            erreur(
                "le fichier ne contient pas de clé privée associée à un certificat ; \
                 exportez le certificat AVEC sa clé privée"
                    .into(),
            )
        })?;
        let pkcs8 = trousseau.key().as_der();
        let cle = match PrivateKey::from_pkcs8_der(pkcs8) {
            Ok(k) => Cle::Rsa(k),
            Err(_) => Cle::P256(p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8).map_err(|_| {
                erreur(
                    "la clé privée n'est ni une clé RSA ni une clé ECDSA P-256 : siodoc ne sait \
                     signer qu'avec l'une d'elles"
                        .into(),
                )
            })?),
        };
        let chaine = trousseau
            .certs()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| erreur(format!("certificat illisible ({e})")))?;
        if chaine.is_empty() {
            return Err(erreur("aucun certificat n'accompagne la clé privée".into()));
        }
        Ok(Certificat { cle, chaine })
    }

    /// Refuses a certificate outside its validity period at `maintenant`: validators reject
    /// what it would sign.
    pub fn verifier_validite(
        &self,
        chemin: &Path,
        maintenant: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Erreur> {
        let validite = self.signataire().tbs_certificate().validity();
        let (debut, fin) = (date(&validite.not_before), date(&validite.not_after));
        let message = if maintenant > fin {
            format!(
                "le certificat a expiré le {} : les signatures seraient refusées ; \
                 demandez un certificat en cours de validité",
                fin.format("%d/%m/%Y")
            )
        } else if maintenant < debut {
            format!(
                "le certificat n'est valable qu'à partir du {} : vérifiez l'horloge de \
                 l'ordinateur ou attendez cette date",
                debut.format("%d/%m/%Y")
            )
        } else {
            return Ok(());
        };
        Err(Erreur::Certificat {
            chemin: chemin.to_path_buf(),
            message,
        })
    }

    /// The signer's certificate.
    pub fn signataire(&self) -> &Certificate {
        &self.chaine[0]
    }

    /// The holder's distinguished name, as « CN=…,O=… ».
    pub fn titulaire(&self) -> String {
        self.signataire().tbs_certificate().subject().to_string()
    }
}

/// A certificate time as a chrono date (UTC).
pub(crate) fn date(t: &x509_cert::time::Time) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0).unwrap_or_default()
}
