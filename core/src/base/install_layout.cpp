#include <casedoc/base/install_layout.hpp>

#include <boost/dll/runtime_symbol_info.hpp>

namespace casedoc::layout {

namespace fs = std::filesystem;

fs::path program() {
    boost::dll::fs::error_code ec;
    const fs::path exe = boost::dll::program_location(ec);
    return ec ? fs::path() : exe;
}

bool in_build_tree() {
    // The build puts its programs in <build>/bin; an installed copy lives elsewhere, even when its prefix
    // is inside the build tree.
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(program(), ec);
    return !exe.empty() && exe.parent_path() == fs::weakly_canonical(fs::path(CASEDOC_BUILD_DIR) / "bin", ec);
}

fs::path plugin_directory() {
    if (in_build_tree()) return CASEDOC_BUILD_PLUGIN_DIR;
    return program().parent_path().parent_path() / "lib" / "casedoc" / "plugins";
}

fs::path data_directory(std::string_view what) {
    if (in_build_tree()) return fs::path(CASEDOC_SOURCE_DIR) / what;
    return program().parent_path().parent_path() / "share" / "casedoc" / what;
}

} // namespace casedoc::layout
