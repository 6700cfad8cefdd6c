#include <casedoc/audit/audit_files.hpp>
#include <casedoc/audit/audit_pdf.hpp>
#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>

namespace casedoc {

void write_audit_files(audit_data data, const audit_report_options& options, const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec) && !std::filesystem::create_directories(dir, ec))
        throw error(dir.string(), "cannot write: cannot create the output directory (" + ec.message() + ")");
    const std::string json = audit_report_json(data, options);
    atomic_file json_file(dir / "audit.json"), csv_file(dir / "audit.csv"), pdf_file(dir / "audit.pdf");
    json_file.stream() << json;
    write_audit_csv(csv_file.stream(), data, options);
    data = audit_data{};
    const std::string pdf = render_audit_pdf(json);
    pdf_file.stream().write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    atomic_file::commit_together({&json_file, &csv_file, &pdf_file});
}

} // namespace casedoc
