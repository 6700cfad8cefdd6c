// Target 5, templates: a fuzzed template for the hospital setting's progress notes, loaded (parsed and compiled,
// its XPath expressions included) through a template catalog as casedoc render finds templates, then a record
// rendered through it as a draft (so that a record with findings renders too). The input is the template; what
// follows a line "<!--casedoc-fuzz-record-->" in it is the record (else a valid sample progress note).
// Guarantees: render_text never throws and never crashes; a failed render says why; a rendered one is a PDF.
#include "fuzz_support.hpp"

#include <casedoc/check/validator.hpp>
#include <casedoc/render/render.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

const fs::path& template_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("casedoc-fuzz-template-" + std::to_string(::getpid()));
        fs::create_directories(d / "hospital");
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(template_dir(), ec);
        });
        return d;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& set = casedoc_fuzz::production_set();
    static casedoc::validator* const v = new casedoc::validator(set.plugins, set.schemas, {});
    static const std::string sample = casedoc_fuzz::source_file("plugins/hospital/samples/valid/progress-note-soap.xml");
    const std::string_view input = casedoc_fuzz::as_text(data, size);
    const std::string_view separator = "\n<!--casedoc-fuzz-record-->\n";
    const size_t split = input.find(separator);
    {
        std::ofstream out(template_dir() / "hospital" / "progress-note.xml", std::ios::binary | std::ios::trunc);
        out << input.substr(0, split);
    }
    const std::string record = split == std::string_view::npos ? sample : std::string(input.substr(split + separator.size()));

    // One renderer for the process (loading the fonts is what takes time); its catalog reads the template again.
    static casedoc::template_catalog* const templates = [] {
        auto* t = new casedoc::template_catalog;
        t->add_directory(template_dir());
        t->add_default_directories();
        return t;
    }();
    static const casedoc::renderer* const r = [] {
        casedoc::render_options ro;
        ro.draft = true;
        return new casedoc::renderer(*templates, ro);
    }();
    templates->forget_loaded();
    const casedoc::render_result out = r->render_text(*v, record, "fuzz.xml");
    switch (out.status) {
    case casedoc::render_status::rendered:
    case casedoc::render_status::draft:
        if (out.pdf.compare(0, 5, "%PDF-") != 0 || out.pages < 1) casedoc_fuzz::broken("a render that is no PDF");
        break;
    case casedoc::render_status::error:
        if (out.error.empty()) casedoc_fuzz::broken("a render error without a reason");
        break;
    case casedoc::render_status::refused: break;
    }
    return 0;
}
