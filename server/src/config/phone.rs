//! How phone numbers are read and written: the default region (`OCM_PHONE_REGION`, required
//! outside demo mode; demo mode uses the simulator's, `GB`), the form POM keeps numbers in
//! (`OCM_POM_PHONE_FORMAT`), and what contact uploads do with numbers that are possible but not
//! valid (`OCM_UPLOAD_INVALID_PHONES`). The hand-written rules' settings are refused by name.

use domain::phone::{InvalidPhones, PhoneRules, PomFormat, Region, DEMO_REGION};

use super::{problem, ConfigError};

/// Settings of the hand-written number rules, which libphonenumber's metadata replaced.
const REPLACED: [&str; 3] = [
    "OCM_DNC_DEFAULT_COUNTRY_CODE",
    "OCM_DNC_MIN_DIGITS",
    "OCM_DNC_MAX_DIGITS",
];

/// Reads the phone settings; `demo` is demo mode (no POM configured).
pub fn rules(
    lookup: &dyn Fn(&str) -> Option<String>,
    demo: bool,
) -> Result<PhoneRules, ConfigError> {
    let text = |var: &str| {
        lookup(var)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if let Some(var) = REPLACED.into_iter().find(|var| text(var).is_some()) {
        return Err(problem(
            var,
            "is no longer read: phone numbers follow libphonenumber's rules for \
             OCM_PHONE_REGION (an ISO country such as GB or US); remove it",
        ));
    }
    let (region, demo_default) = match text("OCM_PHONE_REGION") {
        Some(id) => {
            let region = Region::parse(&id).ok_or_else(|| {
                problem(
                    "OCM_PHONE_REGION",
                    format!(
                        "'{id}' is not a region libphonenumber knows; use an ISO country code \
                         such as GB, US or DE"
                    ),
                )
            })?;
            (region, false)
        }
        None if demo => (
            Region::parse(DEMO_REGION).expect("libphonenumber knows the demo region"),
            true,
        ),
        None => {
            return Err(problem(
                "OCM_PHONE_REGION",
                "is required with OCM_POM_BASE_URL: the country whose national numbers the \
                 organization's files hold, as an ISO code such as GB or US (a number without \
                 a country code is read as one of its numbers)",
            ))
        }
    };
    let format = match text("OCM_POM_PHONE_FORMAT") {
        None => PomFormat::E164,
        Some(raw) => PomFormat::parse(&raw).ok_or_else(|| {
            problem(
                "OCM_POM_PHONE_FORMAT",
                format!("'{raw}' is not e164, digits or national"),
            )
        })?,
    };
    let invalid_uploads = match text("OCM_UPLOAD_INVALID_PHONES").as_deref() {
        None => InvalidPhones::Flag,
        Some(raw) if raw.eq_ignore_ascii_case("flag") => InvalidPhones::Flag,
        Some(raw) if raw.eq_ignore_ascii_case("refuse") => InvalidPhones::Refuse,
        Some(raw) => {
            return Err(problem(
                "OCM_UPLOAD_INVALID_PHONES",
                format!("'{raw}' is not flag or refuse"),
            ))
        }
    };
    Ok(PhoneRules {
        region,
        demo_default,
        format,
        invalid_uploads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(
        pairs: &'static [(&'static str, &'static str)],
        demo: bool,
    ) -> Result<PhoneRules, ConfigError> {
        rules(
            &move |var| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == var)
                    .map(|(_, v)| v.to_string())
            },
            demo,
        )
    }

    #[test]
    fn demo_mode_uses_its_region_and_says_so() {
        let demo = read(&[], true).unwrap();
        assert_eq!((demo.region.id(), demo.demo_default), ("GB", true));
        assert_eq!(demo.format, PomFormat::E164);
        assert_eq!(demo.invalid_uploads, InvalidPhones::Flag);
        assert!(demo.describe().contains("demo mode's region"));
    }

    #[test]
    fn outside_demo_mode_the_region_is_required_and_checked() {
        let missing = read(&[], false).unwrap_err();
        assert_eq!(missing.var, "OCM_PHONE_REGION");
        assert!(missing.problem.contains("required"), "{}", missing.problem);
        let unknown = read(&[("OCM_PHONE_REGION", "UK")], false).unwrap_err();
        assert_eq!(unknown.var, "OCM_PHONE_REGION");
        assert!(unknown.problem.contains("'UK'"), "{}", unknown.problem);
        let us = read(
            &[
                ("OCM_PHONE_REGION", "us"),
                ("OCM_POM_PHONE_FORMAT", "Digits"),
                ("OCM_UPLOAD_INVALID_PHONES", "refuse"),
            ],
            false,
        )
        .unwrap();
        assert_eq!((us.region.id(), us.demo_default), ("US", false));
        assert_eq!(us.format, PomFormat::Digits);
        assert_eq!(us.invalid_uploads, InvalidPhones::Refuse);
    }

    #[test]
    fn other_values_and_the_replaced_settings_are_refused_by_name() {
        let error = read(&[("OCM_POM_PHONE_FORMAT", "intl")], true).unwrap_err();
        assert_eq!(error.var, "OCM_POM_PHONE_FORMAT");
        let error = read(&[("OCM_UPLOAD_INVALID_PHONES", "drop")], true).unwrap_err();
        assert_eq!(error.var, "OCM_UPLOAD_INVALID_PHONES");
        let error = read(&[("OCM_DNC_DEFAULT_COUNTRY_CODE", "44")], true).unwrap_err();
        assert_eq!(error.var, "OCM_DNC_DEFAULT_COUNTRY_CODE");
    }
}
