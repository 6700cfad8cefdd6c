#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>

#include "compiled_schema.hpp"
#include "schema_compiler.hpp"

namespace casedoc {

schema::schema(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
schema::~schema() = default;

std::unique_ptr<schema> schema::load(const std::filesystem::path& file, const schema_options& options) {
    auto text = options.loader(file.string());
    if (!text) {
        std::error_code ec;
        throw error(file.string(), std::filesystem::exists(file, ec) ? "cannot read the schema file"
                                                                     : "no such schema file");
    }
    return load_text(std::move(*text), file.string(), options);
}

std::unique_ptr<schema> schema::load_text(std::string text, const std::string& uri, const schema_options& options) {
    return std::unique_ptr<schema>(new schema(detail::compile_schema(std::move(text), uri, options)));
}

const schema_metadata& schema::metadata() const noexcept { return impl_->meta; }
const namespace_bindings& schema::namespaces() const noexcept { return impl_->ns; }
const std::vector<rule_info>& schema::rules() const noexcept { return impl_->rule_list; }
const std::vector<std::string>& schema::warnings() const noexcept { return impl_->warnings; }

std::optional<std::string> schema::param(const std::string& name) const {
    auto it = impl_->param_values.find(name);
    if (it == impl_->param_values.end()) return std::nullopt;
    return it->second;
}

validation_result schema::validate(xml_document& doc, const validate_options& options) const {
    return impl_->validate(doc, options);
}

} // namespace casedoc
