// Checks many records on all cores, in a stable order, with memory bounded by a small window of
// results in flight, whatever the number of records.
#ifndef CASEDOC_CHECK_BATCH_HPP
#define CASEDOC_CHECK_BATCH_HPP

#include <casedoc/check/validator.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace casedoc {

// Expands files and directories (recursively, *.xml in any case, sorted) into the list of records to check;
// a directory's other files (hidden ones excepted) are named in a warning. Throws casedoc::error for a
// directory without records or that cannot be read. A path that does not exist is kept, so the batch reports
// it as a record it could not read and checks the rest. Names, not std::filesystem::path: a path keeps each of
// its components apart (about 0.4 kB for a caseload's file), and a caseload can have millions of files.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs);

// Checks `files` with `jobs` threads (0: all cores); `sink` receives every result in input order.
void run_batch(const std::vector<std::string>& files, unsigned jobs, const plugin_host& plugins,
               const schema_catalog& schemas, const validator_options& options,
               const std::function<void(record_result&&)>& sink);

} // namespace casedoc

#endif
