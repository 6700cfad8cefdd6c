// A due list written for people (text: by worker, then date, overdue first) and for systems (JSON, CSV), as
// docs/due.md describes. The same list gives the same bytes.
#ifndef CASEDOC_DUE_DUE_FORMATS_HPP
#define CASEDOC_DUE_DUE_FORMATS_HPP

#include <casedoc/due/due_list.hpp>

#include <ostream>
#include <string>

namespace casedoc {

void write_due_text(const due_list& list, std::ostream& out);
std::string due_json(const due_list& list); // with a final newline
void write_due_csv(const due_list& list, std::ostream& out);

} // namespace casedoc

#endif
