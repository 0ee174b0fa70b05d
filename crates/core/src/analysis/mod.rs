//! What is read from a document and events: replays, usage and billing,
//! cost, the usage history, reclaim, recommendations, the cloud estimate.
pub mod cloud;
pub mod companions;
pub mod compare;
pub mod cost;
pub mod demo_generate;
pub mod history;
pub mod plan;
pub mod reclaim;
pub mod recommend;
pub mod replay;
pub mod usage;
