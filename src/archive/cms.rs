//! Detached CMS signatures (RFC 5652) in the CAdES-BES form PAdES B-B asks for: SHA-256, RSA
//! PKCS#1 v1.5 or ECDSA P-256, signed attributes content-type, message-digest and
//! signing-certificate-v2, and no signing-time (PAdES puts the time in the PDF signature
//! dictionary instead).

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use rsa::PublicKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::certificat::{self, Certificat, Cle};

/// id-aa-signingCertificateV2 (RFC 5035).
const ID_AA_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// Who signed, as found in a signature that checked out.
#[derive(Debug, Clone, PartialEq)]
pub struct Signataire {
    /// Distinguished name of the signing certificate, « CN=…,O=… ».
    pub titulaire: String,
    /// Validity period of that certificate, as « JJ/MM/AAAA ».
    pub valable_du: String,
    pub valable_au: String,
}

fn sha256_id() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    }
}

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, with one ESSCertIDv2
/// ::= SEQUENCE { certHash OCTET STRING } (SHA-256, the default, so no algorithm field). It binds
/// the signature to this certificate, as CAdES-BES requires.
fn attribut_certificat(cert: &Certificate) -> Result<Attribute, String> {
    let texte = |e: der::Error| e.to_string();
    let empreinte =
        OctetString::new(Sha256::digest(cert.to_der().map_err(texte)?).to_vec()).map_err(texte)?;
    // A Vec encodes as SEQUENCE OF: certs, of one ESSCertIDv2, of one certHash.
    let valeur = vec![vec![vec![empreinte]]].to_der().map_err(texte)?;
    attribut(ID_AA_SIGNING_CERTIFICATE_V2, &valeur)
}

fn attribut(oid: ObjectIdentifier, valeur_der: &[u8]) -> Result<Attribute, String> {
    let mut valeurs = SetOfVec::new();
    valeurs
        .insert(Any::from_der(valeur_der).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    Ok(Attribute {
        oid,
        values: valeurs,
    })
}

/// Signs the SHA-256 `empreinte` of external content; returns the DER ContentInfo.
pub fn signer(certificat: &Certificat, empreinte: &[u8]) -> Result<Vec<u8>, String> {
    let texte = |e: der::Error| e.to_string();
    let signataire = certificat.signataire();
    let mut attributs = SetOfVec::new();
    for a in [
        attribut(
            rfc5911::ID_CONTENT_TYPE,
            &rfc5911::ID_DATA.to_der().map_err(texte)?,
        )?,
        attribut(
            rfc5911::ID_MESSAGE_DIGEST,
            &OctetString::new(empreinte)
                .map_err(texte)?
                .to_der()
                .map_err(texte)?,
        )?,
        attribut_certificat(signataire)?,
    ] {
        attributs.insert(a).map_err(texte)?;
    }
    // The signature covers the attributes encoded as a SET, not with the [0] tag they carry
    // in SignerInfo (RFC 5652, 5.4).
    let a_signer = attributs.to_der().map_err(texte)?;
    let impossible = |e: rsa::signature::Error| format!("signature impossible ({e})");
    let (signature, algorithme) = match &certificat.cle {
        Cle::Rsa(cle) => {
            let s: Signature = SigningKey::<Sha256>::new(cle.clone())
                .try_sign(&a_signer)
                .map_err(impossible)?;
            (
                s.to_vec(),
                AlgorithmIdentifierOwned {
                    oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                    parameters: Some(der::asn1::Null.into()),
                },
            )
        }
        // RFC 6979 nonces: the same input gives the same signature, as with RSA.
        Cle::P256(cle) => {
            let s: p256::ecdsa::Signature = cle.try_sign(&a_signer).map_err(impossible)?;
            (
                s.to_der().as_bytes().to_vec(),
                AlgorithmIdentifierOwned {
                    oid: rfc5912::ECDSA_WITH_SHA_256,
                    parameters: None,
                },
            )
        }
    };
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signataire.tbs_certificate().issuer().clone(),
            serial_number: signataire.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: sha256_id(),
        signed_attrs: Some(attributs),
        signature_algorithm: algorithme,
        signature: OctetString::new(signature).map_err(texte)?,
        unsigned_attrs: None,
    };
    let mut certificats = SetOfVec::new();
    for c in &certificat.chaine {
        certificats
            .insert(CertificateChoices::Certificate(c.clone()))
            .map_err(texte)?;
    }
    let mut empreintes = SetOfVec::new();
    empreintes.insert(sha256_id()).map_err(texte)?;
    let mut signataires = SetOfVec::new();
    signataires.insert(info).map_err(texte)?;
    let donnees = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: empreintes,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certificats)),
        crls: None,
        signer_infos: SignerInfos(signataires),
    };
    ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&donnees).map_err(texte)?,
    }
    .to_der()
    .map_err(texte)
}

/// Checks a detached signature made by [`signer`] against the SHA-256 of the content. The
/// error says, in French, what does not hold.
pub fn verifier(signature_der: &[u8], empreinte: &[u8]) -> Result<Signataire, String> {
    let illisible = |e: der::Error| format!("signature CMS illisible ({e})");
    let info = ContentInfo::from_der(signature_der).map_err(illisible)?;
    if info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err("ce n'est pas une signature CMS (SignedData)".into());
    }
    let donnees: SignedData = info.content.decode_as().map_err(illisible)?;
    let si = donnees
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or("la signature ne contient aucun signataire")?;
    if si.digest_alg.oid != rfc5912::ID_SHA_256 {
        return Err("algorithme d'empreinte non pris en charge (SHA-256 attendu)".into());
    }
    let attributs = si
        .signed_attrs
        .as_ref()
        .ok_or("la signature n'a pas d'attributs signés")?;
    let empreinte_signee = attributs
        .iter()
        .find(|a| a.oid == rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or("la signature ne porte pas d'empreinte (message-digest)")?;
    if empreinte_signee.as_bytes() != empreinte {
        return Err("le contenu a été modifié depuis la signature (empreinte différente)".into());
    }
    let SignerIdentifier::IssuerAndSerialNumber(id) = &si.sid else {
        return Err("signataire désigné autrement que par émetteur et numéro de série".into());
    };
    let cert = donnees
        .certificates
        .as_ref()
        .into_iter()
        .flat_map(|c| c.0.iter())
        .find_map(|c| match c {
            CertificateChoices::Certificate(c)
                if c.tbs_certificate().issuer() == &id.issuer
                    && c.tbs_certificate().serial_number() == &id.serial_number =>
            {
                Some(c)
            }
            _ => None,
        })
        .ok_or("le certificat du signataire n'est pas joint à la signature")?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(illisible)?;
    let signe = attributs.to_der().map_err(illisible)?;
    let invalide = || "signature invalide : elle ne correspond pas au certificat".to_string();
    let algorithme = cert
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .oid;
    if algorithme == rfc5912::ID_EC_PUBLIC_KEY {
        let cle = p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
            .map_err(|_| "clé elliptique du certificat non prise en charge (P-256 attendue)")?;
        let signature = p256::ecdsa::Signature::from_der(si.signature.as_bytes())
            .map_err(|_| "valeur de signature illisible".to_string())?;
        cle.verify(&signe, &signature).map_err(|_| invalide())?;
    } else {
        let cle = PublicKey::from_public_key_der(&spki)
            .map_err(|_| "la clé du certificat n'est ni RSA ni ECDSA P-256".to_string())?;
        let signature = Signature::try_from(si.signature.as_bytes())
            .map_err(|_| "valeur de signature illisible".to_string())?;
        VerifyingKey::<Sha256>::new(cle)
            .verify(&signe, &signature)
            .map_err(|_| invalide())?;
    }
    let date = |t| certificat::date(t).format("%d/%m/%Y").to_string();
    let validite = cert.tbs_certificate().validity();
    Ok(Signataire {
        titulaire: cert.tbs_certificate().subject().to_string(),
        valable_du: date(&validite.not_before),
        valable_au: date(&validite.not_after),
    })
}
