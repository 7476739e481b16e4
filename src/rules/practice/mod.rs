//! Practice: scripts, training, hiring and the work itself.

mod hiring_for_friendliness;
mod one_off_training;
mod resilience_training_missing;
mod scripts_against_personalization;
mod training_over_process;

pub use hiring_for_friendliness::HiringForFriendliness;
pub use one_off_training::OneOffTraining;
pub use resilience_training_missing::ResilienceTrainingMissing;
pub use scripts_against_personalization::ScriptsAgainstPersonalization;
pub use training_over_process::TrainingOverProcess;
