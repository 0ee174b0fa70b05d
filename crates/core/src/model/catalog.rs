//! The license-key catalogue: every `I3_` key the seeds and Interaction
//! Administrator's help name, with what the rules need to know about it.
//!
//! The table is data, not code: rules, the GUI and the CLI all read it, so a
//! key's label or holder rule is written down exactly once. Entries the seeds
//! do not spell out are flagged `assumed` and listed in `docs/license-keys.md`.

use serde::Serialize;

/// What a key controls on the server (the seed's "CIC server license attributes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    /// Lets a user or station use a set of capabilities.
    Access,
    /// Enables a capability on the server as a whole.
    Feature,
    /// Allows an application connection for a purpose.
    Session,
    /// Controls an amount of server resources.
    Engine,
}

/// Who may hold a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Holders {
    User,
    Station,
    Both,
    /// Features and sessions: the server holds them, nobody allocates them.
    Server,
}

impl Holders {
    pub fn allows_user(self) -> bool {
        matches!(self, Holders::User | Holders::Both)
    }
    pub fn allows_station(self) -> bool {
        matches!(self, Holders::Station | Holders::Both)
    }
}

/// ACD Access media level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
pub enum AcdLevel {
    #[serde(rename = "media-1")]
    Media1,
    #[serde(rename = "media-2")]
    Media2,
    #[serde(rename = "media-3-plus")]
    Media3Plus,
}

impl AcdLevel {
    pub const ALL: [AcdLevel; 3] = [AcdLevel::Media1, AcdLevel::Media2, AcdLevel::Media3Plus];

    /// How many distinct interaction types a holder may receive (`None` = any).
    pub fn capacity(self) -> Option<usize> {
        match self {
            AcdLevel::Media1 => Some(1),
            AcdLevel::Media2 => Some(2),
            AcdLevel::Media3Plus => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            AcdLevel::Media1 => ACD_MEDIA_1,
            AcdLevel::Media2 => ACD_MEDIA_2,
            AcdLevel::Media3Plus => ACD_MEDIA_3_PLUS,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AcdLevel::Media1 => "Media 1",
            AcdLevel::Media2 => "Media 2",
            AcdLevel::Media3Plus => "Media 3 Plus",
        }
    }
}

/// Interaction Process Automation level; each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpaLevel {
    DirectRouted,
    GroupRouted,
    ProcessMonitor,
    ProcessDesigner,
}

impl IpaLevel {
    pub const ALL: [IpaLevel; 4] = [
        IpaLevel::DirectRouted,
        IpaLevel::GroupRouted,
        IpaLevel::ProcessMonitor,
        IpaLevel::ProcessDesigner,
    ];
    pub fn key(self) -> &'static str {
        match self {
            IpaLevel::DirectRouted => IPA_DIRECT,
            IpaLevel::GroupRouted => IPA_GROUP,
            IpaLevel::ProcessMonitor => IPA_MONITOR,
            IpaLevel::ProcessDesigner => IPA_DESIGNER,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            IpaLevel::DirectRouted => "Direct Routed Work Items",
            IpaLevel::GroupRouted => "Group Routed Work Items",
            IpaLevel::ProcessMonitor => "Process Monitor",
            IpaLevel::ProcessDesigner => "Process Designer",
        }
    }
    /// Process Monitor and Process Designer are user licenses only.
    pub fn station_allowed(self) -> bool {
        matches!(self, IpaLevel::DirectRouted | IpaLevel::GroupRouted)
    }
}

/// Subscription billing category of a key (seed: "Categories and licenses").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BillingCategory {
    BusinessUser,
    Agent,
    Analyzer,
    CxInsights,
    Dialer,
    Feedback,
    MultiChannel,
    QualityManager,
    Recorder,
    SalesforceAgent,
    SocialMediaAcd,
    Supervisor,
    WebPortalAgent,
    WebPortalSupervisor,
}

impl BillingCategory {
    pub const ALL: [BillingCategory; 14] = [
        BillingCategory::BusinessUser,
        BillingCategory::Agent,
        BillingCategory::Analyzer,
        BillingCategory::CxInsights,
        BillingCategory::Dialer,
        BillingCategory::Feedback,
        BillingCategory::MultiChannel,
        BillingCategory::QualityManager,
        BillingCategory::Recorder,
        BillingCategory::SalesforceAgent,
        BillingCategory::SocialMediaAcd,
        BillingCategory::Supervisor,
        BillingCategory::WebPortalAgent,
        BillingCategory::WebPortalSupervisor,
    ];
    /// The category of a JSON name (`agent`, `multi-channel`, …).
    pub fn from_code(code: &str) -> Option<BillingCategory> {
        BillingCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The category's position in `ALL` (its bit in a `CategorySet`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The JSON name used by the CLI (`business-user`, `multi-channel`, …).
    pub fn code(self) -> &'static str {
        match self {
            BillingCategory::BusinessUser => "business-user",
            BillingCategory::Agent => "agent",
            BillingCategory::Analyzer => "analyzer",
            BillingCategory::CxInsights => "cx-insights",
            BillingCategory::Dialer => "dialer",
            BillingCategory::Feedback => "feedback",
            BillingCategory::MultiChannel => "multi-channel",
            BillingCategory::QualityManager => "quality-manager",
            BillingCategory::Recorder => "recorder",
            BillingCategory::SalesforceAgent => "salesforce-agent",
            BillingCategory::SocialMediaAcd => "social-media-acd",
            BillingCategory::Supervisor => "supervisor",
            BillingCategory::WebPortalAgent => "web-portal-agent",
            BillingCategory::WebPortalSupervisor => "web-portal-supervisor",
        }
    }
    /// The seed's words for the category.
    pub fn label(self) -> &'static str {
        match self {
            BillingCategory::BusinessUser => "Business User",
            BillingCategory::Agent => "Agent",
            BillingCategory::Analyzer => "Analyzer",
            BillingCategory::CxInsights => "CX Insights",
            BillingCategory::Dialer => "Dialer",
            BillingCategory::Feedback => "Feedback",
            BillingCategory::MultiChannel => "Multi Channel",
            BillingCategory::QualityManager => "Quality Manager",
            BillingCategory::Recorder => "Recorder",
            BillingCategory::SalesforceAgent => "Salesforce Agent",
            BillingCategory::SocialMediaAcd => "Social Media ACD",
            BillingCategory::Supervisor => "Supervisor",
            BillingCategory::WebPortalAgent => "Web Portal Agent",
            BillingCategory::WebPortalSupervisor => "Web Portal Supervisor",
        }
    }
    /// True for the agent add-on categories (everything but the two main ones).
    pub fn is_add_on(self) -> bool {
        !matches!(self, BillingCategory::BusinessUser | BillingCategory::Agent)
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct KeyInfo {
    pub key: &'static str,
    /// The name Interaction Administrator shows (Licenses Allocation "Name").
    pub label: &'static str,
    pub kind: KeyKind,
    pub holders: Holders,
    /// May be allocated with the Concurrent method (never Basic Station,
    /// never on stations — the station side is enforced by the rules).
    pub concurrent: bool,
    pub acd_level: Option<AcdLevel>,
    pub ipa_level: Option<IpaLevel>,
    pub billing: Option<BillingCategory>,
    /// Keys the same holder must also have.
    pub prerequisites: &'static [&'static str],
    /// The seed's description, used for tooltips.
    pub description: &'static str,
    /// True where the seeds do not spell the entry out.
    pub assumed: bool,
    /// Listed in the seed's "Add-on and module Access licenses" table: any
    /// of these makes its holder an Agent for billing ("Agent:
    /// I3_ACCESS_ACD_MEDIA_1 or any add-on license").
    pub add_on: bool,
}

pub const BASIC_STATION: &str = "I3_LICENSE_BASIC_STATION";
pub const CLIENT: &str = "I3_ACCESS_CLIENT";
pub const ACD_MEDIA_1: &str = "I3_ACCESS_ACD_MEDIA_1";
pub const ACD_MEDIA_2: &str = "I3_ACCESS_ACD_MEDIA_2";
pub const ACD_MEDIA_3_PLUS: &str = "I3_ACCESS_ACD_MEDIA_3_PLUS";
pub const ACD_SOCIAL_MEDIA: &str = "I3_ACCESS_ACD_SOCIAL_MEDIA";
pub const IPA_DIRECT: &str = "I3_ACCESS_IPA_USER";
pub const IPA_GROUP: &str = "I3_ACCESS_IPA_USER_ACD";
pub const IPA_MONITOR: &str = "I3_ACCESS_IPA_PROCESS_MONITOR";
pub const IPA_DESIGNER: &str = "I3_ACCESS_IPA_PROCESS_DESIGNER";
pub const FEATURE_VIRTUAL_CLOUD: &str = "I3_FEATURE_VIRTUAL_CLOUD";
pub const FEATURE_USAGE_UPLOAD: &str = "I3_FEATURE_USAGE_TRACKING_UPLOAD";
pub const FEATURE_USAGE_LOCAL: &str = "I3_FEATURE_USAGE_TRACKING_LOCAL";
pub const FEATURE_USAGE_TRACKING: &str = "I3_FEATURE_USAGE_TRACKING";
/// The usage tracking keys of the subscription license model (virtual cloud
/// aside): seed, "Subscription - Introduced in PureConnect 2018 R2 Patch 2".
pub const USAGE_TRACKING_FEATURES: [&str; 3] = [FEATURE_USAGE_TRACKING, FEATURE_USAGE_UPLOAD, FEATURE_USAGE_LOCAL];
pub const CONCURRENT_SUFFIX: &str = "_CONCURRENT";

/// Spellings the seeds use for a key that has another canonical name.
/// (The billing section writes `I3_CLIENT_ACCESS` for Client Access.)
const ALIASES: &[(&str, &str)] = &[
    ("I3_CLIENT_ACCESS", CLIENT),
    ("I3_FEATURE_USAGE_VIRTUAL_CLOUD", FEATURE_VIRTUAL_CLOUD),
];

/// Why an alias is read as its canonical key: where the seeds spell it
/// each way (docs/seed-rules.toml, LTR-1468-tina and
/// SUB-148-usage-virtual-cloud-spelling).
const ALIAS_READINGS: &[(&str, &str)] = &[
    (
        "I3_CLIENT_ACCESS",
        "I3_CLIENT_ACCESS is read as I3_ACCESS_CLIENT (Client Access): the PureConnect Licensing Technical \
         Reference writes I3_CLIENT_ACCESS in its billing examples and I3_ACCESS_CLIENT in its license tables and \
         license files",
    ),
    (
        "I3_FEATURE_USAGE_VIRTUAL_CLOUD",
        "I3_FEATURE_USAGE_VIRTUAL_CLOUD is read as I3_FEATURE_VIRTUAL_CLOUD (virtual cloud): the subscription usage \
         page writes I3_FEATURE_USAGE_VIRTUAL_CLOUD, the PureConnect Licensing Technical Reference \
         I3_FEATURE_VIRTUAL_CLOUD (its change log of 10 June 2020 corrects the name)",
    ),
];

/// The alias as the catalogue holds it, when `key` is one.
pub fn alias(key: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(a, _)| *a == key).map(|(a, _)| *a)
}

/// The reading taken for an alias, in a sentence (`None` for any other key).
pub fn alias_reading(key: &str) -> Option<&'static str> {
    ALIAS_READINGS.iter().find(|(a, _)| *a == key).map(|(_, r)| *r)
}

/// The readings for the aliases among `keys`, each once, in order.
pub fn alias_readings<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for k in keys {
        if let Some(r) = alias_reading(k.trim())
            && !out.contains(&r)
        {
            out.push(r);
        }
    }
    out
}

macro_rules! key {
    ($key:expr, $label:expr, $kind:ident, $holders:ident, conc=$conc:expr,
     acd=$acd:expr, ipa=$ipa:expr, bill=$bill:expr, pre=$pre:expr, assumed=$assumed:expr, $desc:expr) => {
        KeyInfo {
            key: $key,
            label: $label,
            kind: KeyKind::$kind,
            holders: Holders::$holders,
            concurrent: $conc,
            acd_level: $acd,
            ipa_level: $ipa,
            billing: $bill,
            prerequisites: $pre,
            description: $desc,
            assumed: $assumed,
            add_on: false,
        }
    };
}

macro_rules! feature {
    ($key:expr, $label:expr, assumed=$assumed:expr, $desc:expr) => {
        key!(
            $key,
            $label,
            Feature,
            Server,
            conc = false,
            acd = None,
            ipa = None,
            bill = None,
            pre = &[],
            assumed = $assumed,
            $desc
        )
    };
}

macro_rules! session {
    ($key:expr, $label:expr, assumed=$assumed:expr, $desc:expr) => {
        key!(
            $key,
            $label,
            Session,
            Server,
            conc = false,
            acd = None,
            ipa = None,
            bill = None,
            pre = &[],
            assumed = $assumed,
            $desc
        )
    };
}

macro_rules! addon {
    ($key:expr, $label:expr, $holders:ident, bill=$bill:expr, pre=$pre:expr, assumed=$assumed:expr, $desc:expr) => {
        KeyInfo {
            add_on: true,
            ..key!(
                $key,
                $label,
                Access,
                $holders,
                conc = true,
                acd = None,
                ipa = None,
                bill = $bill,
                pre = $pre,
                assumed = $assumed,
                $desc
            )
        }
    };
}

use BillingCategory as B;

static CATALOG: &[KeyInfo] = &[
    // --- Access licenses (seed: "Access license types") ---
    key!(
        BASIC_STATION,
        "Basic Station",
        Access,
        Station,
        conc = false,
        acd = None,
        ipa = None,
        bill = None,
        pre = &[],
        assumed = false,
        "Enables station audio for a phone device or the SIP Soft Phone. All active stations require it; without one \
            the station has no dial tone or audio."
    ),
    key!(
        CLIENT,
        "Client Access",
        Access,
        Both,
        conc = true,
        acd = None,
        ipa = None,
        bill = Some(B::BusinessUser),
        pre = &[],
        assumed = false,
        "Enables the CIC client. Without it the client cannot run on the station. A user logging on at a remote \
            station needs it there too."
    ),
    key!(
        ACD_MEDIA_1,
        "ACD Media 1",
        Access,
        Both,
        conc = true,
        acd = Some(AcdLevel::Media1),
        ipa = None,
        bill = Some(B::Agent),
        pre = &[],
        assumed = false,
        "ACD Access, Media 1: participate in workgroup queues that carry one interaction type."
    ),
    key!(
        ACD_MEDIA_2,
        "ACD Media 2",
        Access,
        Both,
        conc = true,
        acd = Some(AcdLevel::Media2),
        ipa = None,
        bill = Some(B::Agent),
        pre = &[],
        assumed = true,
        "ACD Access, Media 2: participate in workgroup queues that carry one or two interaction types."
    ),
    key!(
        ACD_MEDIA_3_PLUS,
        "ACD Media 3 Plus",
        Access,
        Both,
        conc = true,
        acd = Some(AcdLevel::Media3Plus),
        ipa = None,
        bill = Some(B::MultiChannel),
        pre = &[],
        assumed = false,
        "ACD Access, Media 3 Plus: member of any workgroup queue, any number of interaction types."
    ),
    key!(
        ACD_SOCIAL_MEDIA,
        "ACD Social Media",
        Access,
        User,
        conc = true,
        acd = None,
        ipa = None,
        bill = Some(B::SocialMediaAcd),
        pre = &[],
        assumed = false,
        "Receive routed social-media interactions."
    ),
    key!(
        IPA_DIRECT,
        "IPA Direct Routed Work Items",
        Access,
        Both,
        conc = true,
        acd = None,
        ipa = Some(IpaLevel::DirectRouted),
        bill = None,
        pre = &[],
        assumed = false,
        "Start any process you have rights to and receive Work Items routed directly to you."
    ),
    key!(
        IPA_GROUP,
        "IPA Group Routed Work Items",
        Access,
        Both,
        conc = true,
        acd = None,
        ipa = Some(IpaLevel::GroupRouted),
        bill = None,
        pre = &[],
        assumed = false,
        "Receive Work Items routed to you directly or as a member of a workgroup; includes Direct Routed."
    ),
    key!(
        IPA_MONITOR,
        "IPA Process Monitor",
        Access,
        User,
        conc = true,
        acd = None,
        ipa = Some(IpaLevel::ProcessMonitor),
        bill = None,
        pre = &[],
        assumed = true,
        "View process status and details in Process Monitor or use Process Reporting (user license only); includes \
            both Routed Work Items licenses."
    ),
    key!(
        IPA_DESIGNER,
        "IPA Process Designer",
        Access,
        User,
        conc = true,
        acd = None,
        ipa = Some(IpaLevel::ProcessDesigner),
        bill = None,
        pre = &[],
        assumed = true,
        "Create and modify IPA processes in Process Designer (user license only); includes all other IPA licenses."
    ),
    // --- Add-on and module Access licenses ---
    addon!(
        "I3_ACCESS_ANALYZER",
        "Interaction Analyzer Access",
        User,
        bill = Some(B::Analyzer),
        pre = &["I3_ACCESS_RECORDER"],
        assumed = false,
        "Real-time word/phrase spotting on calls recorded with Interaction Recorder. Requires the Interaction \
            Recorder add-on access license."
    ),
    addon!(
        "I3_ACCESS_ANALYTICS_CORE",
        "CX Insights",
        User,
        bill = Some(B::CxInsights),
        pre = &[],
        assumed = false,
        "CX Insights analytics access (billing category CX Insights)."
    ),
    addon!(
        "I3_ACCESS_OPERATOR_ADDON",
        "Interaction Client Operator Add-On",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Use operator add-on features in CIC."
    ),
    addon!(
        "I3_ACCESS_OUTLOOK_ADDIN",
        "Interaction Client Outlook Add-In",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Use Outlook add-on features in CIC."
    ),
    addon!(
        "I3_ACCESS_DIALER_ADDON",
        "Interaction Dialer Add-On",
        User,
        bill = Some(B::Dialer),
        pre = &[],
        assumed = false,
        "Take calls managed by Interaction Dialer."
    ),
    addon!(
        "I3_ACCESS_FEEDBACK",
        "Interaction Feedback Access",
        User,
        bill = Some(B::Feedback),
        pre = &[],
        assumed = false,
        "Have a survey applied to an interaction you took part in, or open the Interaction Feedback module in IC \
            Business Manager."
    ),
    addon!(
        "I3_ACCESS_OPTIMIZER_REALTIME_ADHERENCE",
        "Interaction Optimizer Access Real-time Adherence",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "View real-time adherence events in IC Business Manager, Interaction Desktop and Interaction Supervisor."
    ),
    addon!(
        "I3_ACCESS_OPTIMIZER_CLIENT",
        "Interaction Optimizer Client Access",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "View individual schedules and submit time-off requests in Interaction Desktop."
    ),
    addon!(
        "I3_ACCESS_OPTIMIZER_RTA_TRACKING",
        "Interaction Optimizer Real-time Adherence Tracking",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Calculate and log real-time adherence and actual schedule worked for a user."
    ),
    addon!(
        "I3_ACCESS_OPTIMIZER_SCHEDULABLE",
        "Interaction Optimizer Schedulable",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Allows scheduling of an agent."
    ),
    addon!(
        "I3_ACCESS_OPTIMIZER_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: Optimizer",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = true,
        "Interaction Optimizer views in Interaction Supervisor."
    ),
    addon!(
        "I3_ACCESS_RECORDER_QUALITYMONITORING",
        "Interaction Quality Manager",
        User,
        bill = Some(B::QualityManager),
        pre = &[],
        assumed = false,
        "Create questionnaires, score recorded interactions and search completed scorecards in IC Business Manager."
    ),
    addon!(
        "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT",
        "Interaction Quality Manager (Agent)",
        User,
        bill = Some(B::QualityManager),
        pre = &[],
        assumed = false,
        "Quality Manager agent access: the agent's interactions can be recorded and scored."
    ),
    addon!(
        "I3_ACCESS_RECORDER",
        "Interaction Recorder Access",
        User,
        bill = Some(B::Recorder),
        pre = &[],
        assumed = false,
        "Allows recording a user. Without it, recordings are encumbered."
    ),
    addon!(
        "I3_ACCESS_RECORDER_CLIENT",
        "Interaction Recorder Client Access",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Search for and play back recorded interactions in the Interaction Recorder module of IC Business Manager."
    ),
    addon!(
        "I3_ACCESS_RECORDER_EXTREME_QUERY",
        "Interaction Recorder Extreme Query",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Search and play back recorded calls and view Graph Data in the Extreme Query Client."
    ),
    addon!(
        "I3_ACCESS_INTERACTION_SCRIPTER_ADDON",
        "Interaction Scripter",
        User,
        bill = None,
        pre = &[],
        assumed = false,
        "Provides access to Interaction Scripter."
    ),
    addon!(
        "I3_ACCESS_SUPERVISOR_IPAD",
        "Interaction Supervisor iPad Edition",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = true,
        "Provides access to Interaction Supervisor iPad Edition."
    ),
    addon!(
        "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN",
        // "Plug-In", as every other Supervisor plug-in in the seed's table
        // of add-on licenses (whose row for this one alone has a lower-case
        // "in"): one spelling wherever a user reads it.
        "Interaction Supervisor Plug-In: Historical Reporting",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = false,
        "Historical Reporting in IC Business Manager."
    ),
    addon!(
        "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: Interaction Dialer",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = false,
        "Dialer views in IC Business Manager."
    ),
    addon!(
        "I3_ACCESS_DIALER_SUPERVISOR_PLUS",
        "Interaction Supervisor Plug-In: Interaction Dialer Plus",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = true,
        "Dialer supervisor views (named in the seed's Supervisor billing category)."
    ),
    addon!(
        "I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: Reporting Assistant",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = false,
        "Interaction Reporter in IC Business Manager."
    ),
    addon!(
        "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: System Status",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = false,
        "System Status views: Call Activity, License Statistics, Queues, Session Manager, System Graph, System \
            Statistics."
    ),
    addon!(
        "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: Workgroup",
        User,
        bill = Some(B::Supervisor),
        pre = &[],
        assumed = false,
        "Agents and Workgroups views: Agent Details, Agent Graph, Workgroup Overview, Workgroup Statistics, …"
    ),
    addon!(
        "I3_ACCESS_TRACKER",
        "Interaction Tracker Access",
        User,
        bill = None,
        pre = &[],
        assumed = true,
        "Provides access to the Tracker menu in CIC."
    ),
    addon!(
        "I3_LICENSE_SALESFORCE",
        "Salesforce Standard User",
        User,
        bill = Some(B::SalesforceAgent),
        pre = &[],
        assumed = false,
        "Access to Salesforce as a standard user."
    ),
    addon!(
        "I3_LICENSE_SALESFORCE_BUSINESSUSER",
        "Salesforce Business User",
        User,
        bill = Some(B::SalesforceAgent),
        pre = &[],
        assumed = false,
        "Access to Salesforce as a business user."
    ),
    addon!(
        "I3_ACCESS_IWP_USER_AGENT",
        "Interaction Web Portal Agent",
        User,
        bill = Some(B::WebPortalAgent),
        pre = &[],
        assumed = false,
        "Interaction Web Portal agent access."
    ),
    addon!(
        "I3_ACCESS_IWP_USER_ENTERPRISE",
        "Interaction Web Portal Supervisor",
        User,
        bill = Some(B::WebPortalSupervisor),
        pre = &[],
        assumed = false,
        "Interaction Web Portal enterprise (supervisor) access."
    ),
    // --- Sessions ---
    session!(
        "I3_LICENSE_BASIC_SESSION",
        "Basic Session",
        assumed = true,
        "Basic session licenses (3.0 part SW-001-3.0-PL03)."
    ),
    session!(
        "I3_LICENSE_ADVANCED_SESSION_ADDON",
        "Advanced Session",
        assumed = false,
        "Advanced session licenses (part SW-001-4.0-PL04)."
    ),
    session!(
        "I3_LICENSE_CONFERECE_SESSION_ADDON",
        "Conference Session",
        assumed = false,
        "Conference session licenses (part SW-001-4.0-PL06/PL08). The key is spelled as in the seed's license example."
    ),
    session!(
        "I3_LICENSE_MEDIA_SESSION_ADDON",
        "Media Session",
        assumed = false,
        "Media session licenses (part SW-001-4.0-PL09)."
    ),
    // --- Features ---
    feature!(
        "I3_FEATURE_VERSION_CIC",
        "CIC version",
        assumed = false,
        "The CIC product version the license is for."
    ),
    feature!(
        "I3_FEATURE_RWP_CITY",
        "RWP City",
        assumed = false,
        "Feature listed in the seed's View License example."
    ),
    feature!("I3_FEATURE_SIP", "SIP", assumed = false, "SIP support on the server."),
    feature!("I3_FEATURE_SMS", "SMS", assumed = false, "SMS messaging on the server."),
    feature!(
        "I3_FEATURE_MEDIA_SERVERS",
        "Media Servers",
        assumed = false,
        "Interaction Media Server support."
    ),
    feature!(
        "I3_FEATURE_ADVANCED_SECURITY",
        "Advanced Security",
        assumed = false,
        "Advanced security features."
    ),
    feature!(
        "I3_FEATURE_SU_ALLOWED",
        "Updates allowed",
        assumed = false,
        "While maintenance is paid, allows installing updates."
    ),
    feature!(
        FEATURE_VIRTUAL_CLOUD,
        "Virtual Cloud",
        assumed = false,
        "Virtual cloud licensing: not tied to a host ID; requires regular Genesys Cloud check-ins (see Cloud Enforcement) and automated \
            usage upload to us-east-1."
    ),
    feature!(
        FEATURE_USAGE_UPLOAD,
        "Usage Tracking Upload",
        assumed = false,
        "Subscription billing: usage data uploaded automatically to us-east-2."
    ),
    feature!(
        "I3_FEATURE_USAGE_TRACKING",
        "Usage Tracking",
        assumed = false,
        "Subscription billing usage tracking (required for usage tracking upload licensing)."
    ),
    feature!(
        FEATURE_USAGE_LOCAL,
        "Usage Tracking (local)",
        assumed = false,
        "Subscription billing with manual upload: prevents the automatic upload of usage data."
    ),
];

/// The whole catalogue, in display order.
pub fn all() -> &'static [KeyInfo] {
    CATALOG
}

/// Resolves a seed alias (`I3_CLIENT_ACCESS`) to its canonical key.
pub fn canonical(key: &str) -> &str {
    match index().get(key) {
        Some(&(canon, _)) => canon,
        None => key,
    }
}

/// Every key and alias → (canonical key, entry), built once: the rules look
/// keys up for every subject, so a scan of the catalogue would dominate a
/// recount.
fn index() -> &'static rustc_hash::FxHashMap<&'static str, (&'static str, Option<&'static KeyInfo>)> {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, (&'static str, Option<&'static KeyInfo>)>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for info in CATALOG {
            m.insert(info.key, (info.key, Some(info)));
        }
        for &(alias, canon) in ALIASES {
            let info = CATALOG.iter().find(|k| k.key == canon);
            m.insert(alias, (canon, info));
        }
        m
    })
}

/// Looks a key up (aliases included).
pub fn lookup(key: &str) -> Option<&'static KeyInfo> {
    index().get(key).and_then(|&(_, info)| info)
}

/// The label IA shows, or the key itself when the catalogue does not know it.
pub fn label(key: &str) -> &str {
    lookup(key).map_or(key, |k| k.label)
}

/// True for keys an administrator allocates (users/stations), as opposed to
/// server-level features and sessions. Unknown `I3_ACCESS_*` keys count as access.
pub fn is_allocatable(key: &str) -> bool {
    match lookup(key) {
        Some(info) => info.kind == KeyKind::Access,
        None => key.starts_with("I3_ACCESS_"),
    }
}

/// May this key be held with the Concurrent method? Unknown keys: yes
/// (the license file's pooled count decides).
pub fn may_be_concurrent(key: &str) -> bool {
    lookup(key).is_none_or(|k| k.concurrent)
}

pub fn acd_level_of(key: &str) -> Option<AcdLevel> {
    lookup(key).and_then(|k| k.acd_level)
}

pub fn ipa_level_of(key: &str) -> Option<IpaLevel> {
    lookup(key).and_then(|k| k.ipa_level)
}

/// Is the text a well-formed key name (`I3_` then capitals, digits, `_`)?
pub fn is_well_formed(key: &str) -> bool {
    key.len() > 3
        && key.len() <= 128
        && key.starts_with("I3_")
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for k in all() {
            assert!(seen.insert(k.key), "duplicate {}", k.key);
            assert!(is_well_formed(k.key), "{}", k.key);
            for p in k.prerequisites {
                assert!(lookup(p).is_some(), "{} needs unknown {}", k.key, p);
            }
        }
    }

    #[test]
    fn basic_station_rules() {
        let bs = lookup(BASIC_STATION).expect("in catalogue");
        assert!(!bs.concurrent);
        assert_eq!(bs.holders, Holders::Station);
    }

    #[test]
    fn aliases_resolve() {
        assert_eq!(canonical("I3_CLIENT_ACCESS"), CLIENT);
        assert_eq!(label("I3_CLIENT_ACCESS"), "Client Access");
        assert_eq!(label("I3_SOMETHING_NEW"), "I3_SOMETHING_NEW");
    }

    #[test]
    fn ipa_monitor_designer_are_user_only() {
        for level in IpaLevel::ALL {
            let info = lookup(level.key()).expect("ipa key");
            assert_eq!(info.holders.allows_station(), level.station_allowed());
        }
    }
}
