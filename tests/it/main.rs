//! The integration tests, one binary (one link instead of twenty): core
//! and property tests, CLI tests that run the binary, attack tests, and
//! egui_kittest UI tests that drive the real `App`. `util` holds the
//! shared helpers (assets, demo documents, licenses).

#![allow(dead_code)]

mod layers;
mod util;

mod account;
mod afmt;
mod alerts;
mod allocation;
mod allocation_lock;
mod allocation_props;
mod attacks;
mod changelog;
mod cli_check;
mod cli_license;
mod cli_output;
mod cloud;
mod cloud_cli;
mod cloud_cli_fixes;
mod cloud_fixes;
mod cloud_retrial_fixes;
mod compare;
mod contract_matrix;
mod data_safety;
mod enforcement;
mod events_stream;
mod history;
mod history_carry;
mod license_file;
mod packaging;
mod plan;
mod platform_rules;
mod policies;
mod policy_index;
mod reclaim;
mod refusal_codes;
mod replay;
mod report;
mod report_cli;
mod seed_cases;
mod seed_fixes;
mod seed_register;
mod seed_register_cases;
mod seed_rule_fixes;
mod seed_rule_fixes_access;
mod session_attacks;
mod site_export_script;
mod site_import;
mod site_import_fixes;
mod site_import_registry_fixes;
mod site_import_retrial;
mod source_rules;
mod transaction;
mod trust_attacks;
mod ui_accessibility;
mod ui_account;
mod ui_browse;
mod ui_charts;
mod ui_cloud;
mod ui_cloud_fixes;
mod ui_console;
mod ui_console_retest;
mod ui_console_retrial;
mod ui_contrast;
mod ui_data_safety;
mod ui_dialogs;
mod ui_drop_downs;
mod ui_enforcement;
mod ui_gui;
mod ui_help;
mod ui_history;
mod ui_keyboard;
mod ui_layout;
mod ui_loading;
mod ui_report;
mod ui_shell;
mod ui_site_import;
mod ui_statistics;
mod ui_tables;
mod ui_views;
mod ui_workers;
mod workspace_file;
