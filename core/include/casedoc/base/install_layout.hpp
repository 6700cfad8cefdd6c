// Where casedoc finds its own files. A program running inside the build tree it was built in uses the
// build tree's plugins and the source tree's schemas and templates (no installation needed); an installed
// program uses the files installed beside it: <prefix>/bin/casedoc finds <prefix>/lib/casedoc/plugins and
// <prefix>/share/casedoc/{schemas,templates}. Environment variables (CASEDOC_PLUGIN_PATH, ...) add to these.
#ifndef CASEDOC_BASE_INSTALL_LAYOUT_HPP
#define CASEDOC_BASE_INSTALL_LAYOUT_HPP

#include <filesystem>
#include <string_view>

namespace casedoc::layout {

// The running program's absolute path, or empty when it cannot be told.
std::filesystem::path program();
// True when the running program is one the build tree built (in <build>/bin).
bool in_build_tree();
// The default plugin folder: the build tree's, or <prefix>/lib/casedoc/plugins (may not exist).
std::filesystem::path plugin_directory();
// The default folder of "schemas" or "templates": the source tree's, or <prefix>/share/casedoc/<what>.
std::filesystem::path data_directory(std::string_view what);

} // namespace casedoc::layout

#endif
