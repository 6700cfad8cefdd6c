// The partial result of one shard of a split audit, format casedoc-audit-partial/1 (`casedoc audit --shard K/N
// --partial F`, combined by `casedoc audit merge`): audit_data as JSON. Each part's to_json and from_json are here,
// so that a field is added in one place; audit_partial_json and read_audit_partial (audit.hpp) write and read the
// file. Its keys are sorted (nlohmann::json), so the order in which they are set does not matter.
#ifndef CASEDOC_AUDIT_AUDIT_PARTIAL_FORMAT_HPP
#define CASEDOC_AUDIT_AUDIT_PARTIAL_FORMAT_HPP

#include <casedoc/audit/audit.hpp>

#include <nlohmann/json.hpp>

namespace casedoc {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(audit_note, file, record_id, line, column, reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(audit_stratum, key, universe, requested, sampled)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(audit_timing, n, within, pending, cases, periods, periods_met, limit, have_limit,
                                   hours, deadline, shares, elapsed)

// Every option but `shard`: two shards of one audit have the same JSON (each names its shard in shards_merged).
void to_json(nlohmann::json& j, const audit_options& x);
void from_json(const nlohmann::json& j, audit_options& x);
void to_json(nlohmann::json& j, const rule_info& x);
void from_json(const nlohmann::json& j, rule_info& x);
void to_json(nlohmann::json& j, const rule_set& x);
void from_json(const nlohmann::json& j, rule_set& x);
void to_json(nlohmann::json& j, const audit_evidence& x); // [rule, line, element, message]
void from_json(const nlohmann::json& j, audit_evidence& x);
void to_json(nlohmann::json& j, const audit_case& x);
void from_json(const nlohmann::json& j, audit_case& x);
void to_json(nlohmann::json& j, const audit_data& x);
void from_json(const nlohmann::json& j, audit_data& x); // the format is checked by read_audit_partial

} // namespace casedoc

#endif // CASEDOC_AUDIT_AUDIT_PARTIAL_FORMAT_HPP
