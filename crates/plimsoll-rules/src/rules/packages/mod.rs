use crate::Rule;

mod apk_add_without_no_cache;
mod apk_unpinned_package;
mod apt_get_install_recommends;
mod apt_get_missing_yes;
mod apt_instead_of_apt_get;
mod apt_lists_not_deleted;
mod apt_unpinned_package;
pub(crate) mod common;
mod dnf_clean_missing;
mod dnf_missing_yes;
mod dnf_unpinned_package;
mod rpm_pins;
mod yum_clean_missing;
mod yum_missing_yes;
mod yum_unpinned_package;
mod zypper_clean_missing;
mod zypper_dist_upgrade;
mod zypper_missing_non_interactive;
mod zypper_unpinned_package;

pub(crate) const RULES: &[&dyn Rule] = &[
    &apt_unpinned_package::AptUnpinnedPackage,
    &apt_lists_not_deleted::AptListsNotDeleted,
    &apt_get_missing_yes::AptGetMissingYes,
    &apt_get_install_recommends::AptGetInstallRecommends,
    &apt_instead_of_apt_get::AptInsteadOfAptGet,
    &apk_unpinned_package::ApkUnpinnedPackage,
    &apk_add_without_no_cache::ApkAddWithoutNoCache,
    &yum_missing_yes::YumMissingYes,
    &yum_clean_missing::YumCleanMissing,
    &yum_unpinned_package::YumUnpinnedPackage,
    &zypper_missing_non_interactive::ZypperMissingNonInteractive,
    &zypper_dist_upgrade::ZypperDistUpgrade,
    &zypper_clean_missing::ZypperCleanMissing,
    &zypper_unpinned_package::ZypperUnpinnedPackage,
    &dnf_missing_yes::DnfMissingYes,
    &dnf_clean_missing::DnfCleanMissing,
    &dnf_unpinned_package::DnfUnpinnedPackage,
];
