#include <casedoc/schematron/schema.hpp>
#include <casedoc/schematron/svrl.hpp>

namespace casedoc {

namespace {

void set_if(pugi::xml_node n, const char* name, const std::string& v) {
    if (!v.empty()) n.append_attribute(name).set_value(v.c_str());
}

void add_text(pugi::xml_node parent, const svrl_text& t) {
    pugi::xml_node text = parent.append_child("svrl:text");
    for (const auto& [k, v] : t.attributes)
        if (!text.attribute(k.c_str())) text.append_attribute(k.c_str()).set_value(v.c_str());
    if (!t.text.empty()) text.append_child(pugi::node_pcdata).set_value(t.text.c_str());
    if (!t.copied_xml.empty()) {
        pugi::xml_document frag;
        if (frag.load_buffer(t.copied_xml.data(), t.copied_xml.size(), pugi::parse_default | pugi::parse_fragment))
            for (pugi::xml_node c : frag.children()) text.append_copy(c);
    }
}

} // namespace

void build_svrl(const validation_result& r, pugi::xml_document& out) {
    pugi::xml_node decl = out.append_child(pugi::node_declaration);
    decl.append_attribute("version").set_value("1.0");
    decl.append_attribute("encoding").set_value("UTF-8");
    pugi::xml_node root = out.append_child("svrl:schematron-output");
    root.append_attribute("xmlns:svrl").set_value(svrl_ns);
    set_if(root, "title", r.title);
    set_if(root, "phase", r.phase);
    set_if(root, "schemaVersion", r.schema_version);
    for (const auto& [prefix, uri] : r.namespaces) {
        pugi::xml_node ns = root.append_child("svrl:ns-prefix-in-attribute-values");
        ns.append_attribute("uri").set_value(uri.c_str());
        ns.append_attribute("prefix").set_value(prefix.c_str());
    }
    for (const svrl_event& e : r.svrl) {
        switch (e.type) {
        case svrl_event::kind::active_pattern: {
            pugi::xml_node n = root.append_child("svrl:active-pattern");
            set_if(n, "id", e.id);
            set_if(n, "name", e.name);
            set_if(n, "documents", e.documents);
            break;
        }
        case svrl_event::kind::fired_rule: {
            pugi::xml_node n = root.append_child("svrl:fired-rule");
            set_if(n, "id", e.id);
            n.append_attribute("context").set_value(e.context.c_str());
            set_if(n, "role", e.role);
            set_if(n, "flag", e.flag);
            set_if(n, "document", e.document);
            break;
        }
        case svrl_event::kind::failed_assert:
        case svrl_event::kind::successful_report: {
            pugi::xml_node n = root.append_child(e.type == svrl_event::kind::failed_assert ? "svrl:failed-assert"
                                                                                          : "svrl:successful-report");
            set_if(n, "id", e.id);
            set_if(n, "role", e.role);
            set_if(n, "flag", e.flag);
            set_if(n, "xml:lang", e.lang);
            n.append_attribute("test").set_value(e.test.c_str());
            n.append_attribute("location").set_value(e.location.str().c_str());
            for (const svrl_reference& d : e.diagnostics) {
                pugi::xml_node ref = n.append_child("svrl:diagnostic-reference");
                ref.append_attribute("diagnostic").set_value(d.ref.c_str());
                add_text(ref, d.text);
            }
            for (const svrl_reference& p : e.properties) {
                pugi::xml_node ref = n.append_child("svrl:property-reference");
                ref.append_attribute("property").set_value(p.ref.c_str());
                set_if(ref, "role", p.role);
                set_if(ref, "scheme", p.scheme);
                add_text(ref, p.text);
            }
            add_text(n, e.text);
            break;
        }
        }
    }
}

void write_svrl(const validation_result& r, std::ostream& out) {
    pugi::xml_document doc;
    build_svrl(r, doc);
    doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration);
}

} // namespace casedoc
