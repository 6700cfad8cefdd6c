#include "pdf_document.hpp"
#include "pdf_resources.hpp"
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>

#include <filesystem>
#include <fstream>

namespace casedoc {

namespace fs = std::filesystem;

pdf_resources pdf_resources::load(const pdf_resource_files& common) {
    pdf_resources r;
    const fs::path& base = common.base_dir;
    auto resolve = [&](const std::string& name, const std::vector<std::string>& dirs) -> fs::path {
        std::error_code ec;
        const fs::path p(name);
        if (p.is_absolute()) return p;
        for (const auto& d : dirs) {
            const fs::path dir = fs::path(d).is_absolute() ? fs::path(d) : base / d;
            if (fs::is_regular_file(dir / p, ec)) return dir / p;
        }
        return base / p;
    };
    sha256 fd;
    for (const auto& f : common.fonts) {
        auto& faces = r.fonts.styles[f.style == "regular" ? 0 : f.style == "bold" ? 1 : 2];
        for (const auto& name : f.files) {
            const fs::path file = resolve(name, common.font_dirs);
            std::error_code ec;
            if (!fs::is_regular_file(file, ec)) {
                std::string dirs;
                for (const auto& d : common.font_dirs) dirs += (dirs.empty() ? "" : ", ") + d;
                throw error(f.where.file, f.where.line, f.where.column,
                            "cannot load font '" + name + "': no such file" + (dirs.empty() ? "" : " in " + dirs));
            }
            try {
                faces.push_back(pdf_font::load(file));
            } catch (const error& e) {
                throw error(f.where.file, f.where.line, f.where.column, e.what());
            }
            std::ifstream font_in(file, std::ios::binary); // the id changes when a font package does
            fd.update(std::string(std::istreambuf_iterator<char>(font_in), {}));
        }
    }
    if (r.fonts.styles[0].empty())
        throw error(common.where.file, common.where.line, common.where.column,
                    "the common template names no regular font (<fonts><font style=\"regular\" files=\"…\"/></fonts>)");
    r.font_digest = sha256::hex(fd.finish());
    if (common.color_profile.empty())
        throw error(common.where.file, common.where.line, common.where.column,
                    "the common template names no colour profile (<color-profile file=\"…sRGB.icc\"/>), which PDF/A needs");
    const fs::path icc_file = resolve(common.color_profile, {});
    std::ifstream in(icc_file, std::ios::binary);
    if (!in)
        throw error(common.color_profile_where.file, common.color_profile_where.line, common.color_profile_where.column,
                    "cannot read the colour profile '" + icc_file.string() + "'");
    std::string icc(std::istreambuf_iterator<char>(in), {});
    if (icc.size() < 128 || icc.substr(36, 4) != "acsp")
        throw error(common.color_profile_where.file, common.color_profile_where.line, common.color_profile_where.column,
                    "'" + icc_file.string() + "' is not an ICC colour profile");
    r.icc_id = common.color_profile_id;
    r.icc_deflated = pdf_document::deflate(icc); // once per process, not once per document
    if (common.page) r.geometry = *common.page;
    return r;
}

} // namespace casedoc
