//! Statuses and warnings, with their spellings in the plain-file form and in Chinese.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The status of a target in a report year: the first rule of the spec's table that holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NoData,
    Achieved,
    Missed,
    NoTrend,
    OnTrack,
    NeedsAcceleration,
    OffTrack,
    Regressing,
}

impl Status {
    /// In the order of the spec's table.
    pub const ALL: [Status; 8] = [
        Status::NoData,
        Status::Achieved,
        Status::Missed,
        Status::NoTrend,
        Status::OnTrack,
        Status::NeedsAcceleration,
        Status::OffTrack,
        Status::Regressing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NoData => "no_data",
            Status::Achieved => "achieved",
            Status::Missed => "missed",
            Status::NoTrend => "no_trend",
            Status::OnTrack => "on_track",
            Status::NeedsAcceleration => "needs_acceleration",
            Status::OffTrack => "off_track",
            Status::Regressing => "regressing",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::NoData => "无数据",
            Status::Achieved => "已达标",
            Status::Missed => "未达标",
            Status::NoTrend => "待观察",
            Status::OnTrack => "进展顺利",
            Status::NeedsAcceleration => "需加快进度",
            Status::OffTrack => "预计达标困难",
            Status::Regressing => "出现倒退",
        }
    }

    /// Position in [`Status::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One early warning (预警).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Warning {
    #[serde(rename = "W_PROJECTED_MISS")]
    ProjectedMiss,
    #[serde(rename = "W_VOLATILE")]
    Volatile,
    #[serde(rename = "W_BINDING_MISSED")]
    BindingMissed,
    #[serde(rename = "W_MISSING")]
    Missing,
}

impl Warning {
    /// In the order of the spec (and of the plain file's `warnings` column).
    pub const ALL: [Warning; 4] = [
        Warning::ProjectedMiss,
        Warning::Volatile,
        Warning::BindingMissed,
        Warning::Missing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Warning::ProjectedMiss => "W_PROJECTED_MISS",
            Warning::Volatile => "W_VOLATILE",
            Warning::BindingMissed => "W_BINDING_MISSED",
            Warning::Missing => "W_MISSING",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            // Not the status 预计达标困难 (off_track): this warning also flags targets that
            // need acceleration or regress (issue 15: one word for one thing).
            Warning::ProjectedMiss => "预计难以按期达标",
            Warning::Volatile => "波动较大",
            Warning::BindingMissed => "约束性指标未达标",
            Warning::Missing => "缺报",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of warnings; iterates in spec order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Warnings(u8);

impl Warnings {
    pub const NONE: Warnings = Warnings(0);

    pub fn insert(&mut self, w: Warning) {
        self.0 |= w.bit();
    }

    pub fn with(mut self, w: Warning) -> Warnings {
        self.insert(w);
        self
    }

    pub fn contains(self, w: Warning) -> bool {
        self.0 & w.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn iter(self) -> impl Iterator<Item = Warning> {
        Warning::ALL.into_iter().filter(move |w| self.contains(*w))
    }

    /// `W_A;W_B` as in the plain file; empty when there is none.
    pub fn joined(self) -> String {
        self.iter()
            .map(Warning::as_str)
            .collect::<Vec<_>>()
            .join(";")
    }
}

impl FromIterator<Warning> for Warnings {
    fn from_iter<I: IntoIterator<Item = Warning>>(iter: I) -> Self {
        let mut w = Warnings::NONE;
        for x in iter {
            w.insert(x);
        }
        w
    }
}

impl Serialize for Warnings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
