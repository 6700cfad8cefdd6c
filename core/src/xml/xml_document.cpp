#include <casedoc/base/error.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <casedoc/xml/xml_chars.hpp>

#include "location_index.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>

#include <sys/stat.h>

namespace casedoc {

namespace {

constexpr const char* xml_ns_uri = "http://www.w3.org/XML/1998/namespace";
constexpr unsigned parse_options = pugi::parse_default | pugi::parse_pi | pugi::parse_comments;

std::pair<std::string_view, std::string_view> split_qname(std::string_view q) {
    const auto colon = q.find(':');
    if (colon == std::string_view::npos) return {{}, q};
    return {q.substr(0, colon), q.substr(colon + 1)};
}

// Visits `root` and the elements below it in document order, without recursion: enter(element) before its
// children, leave(element) after them (so a walk can keep what an element declares in scope for its subtree).
template <class Enter, class Leave> void for_each_element(pugi::xml_node root, Enter&& enter, Leave&& leave) {
    auto element_from = [](pugi::xml_node n) {
        while (n && n.type() != pugi::node_element) n = n.next_sibling();
        return n;
    };
    for (pugi::xml_node n = root; n;) {
        enter(n);
        if (const pugi::xml_node child = element_from(n.first_child())) {
            n = child;
            continue;
        }
        for (;;) {
            leave(n);
            if (n == root) return;
            if (const pugi::xml_node sibling = element_from(n.next_sibling())) {
                n = sibling;
                break;
            }
            n = n.parent();
        }
    }
}

// Whether the text may hold a prefixed element or attribute name (other than xml:…): a ':' with a name before
// it that starts just after '<' (an element), or just after white space and followed by the rest of a name and
// '=' (an attribute). It may answer true for text that only looks like one (in a comment, say), never false for
// a real one. The colons of times ("T13:00"), the commonest, are passed over at once: a digit after a colon
// cannot begin a local name. (Bytes of multi-byte UTF-8 characters count as name characters.)
bool may_have_prefixed_names(std::string_view text) {
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    for (const char* c = begin; (c = static_cast<const char*>(std::memchr(c, ':', static_cast<size_t>(end - c))));
         ++c) {
        if (c + 1 == end || !detail::is_ncname_start(c[1])) continue;
        const char* start = c;
        while (start > begin && detail::is_ncname_char(start[-1])) --start;
        if (start == c || start == begin) continue;
        if (std::string_view(start, static_cast<size_t>(c - start)) == "xml") continue;
        if (start[-1] == '<') return true;
        if (!detail::is_xml_space(start[-1])) continue;
        const char* after = c + 1;
        while (after < end && detail::is_ncname_char(*after)) ++after;
        while (after < end && detail::is_xml_space(*after)) ++after;
        if (after < end && *after == '=') return true;
    }
    return false;
}

} // namespace

xml_document xml_document::load_file(const std::filesystem::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw error(path.string(), std::string("cannot read file: ") + std::strerror(errno));
    // One read of the file's size into bytes that are not first cleared (they are read over at once, and
    // pugixml parses them in place); a file that grows meanwhile is read on to its end.
    struct stat st {};
    const size_t expected = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
    std::unique_ptr<char[]> bytes(new char[expected]);
    const size_t got = std::fread(bytes.get(), 1, expected, f);
    std::string more;
    char chunk[4096];
    for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) more.append(chunk, n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw error(path.string(), "cannot read file");
    if (!more.empty() || got < expected) return load_string(std::string(bytes.get(), got) + more, path.string());
    std::string source(bytes.get(), got);
    return parse(std::move(bytes), got, std::move(source), path.string());
}

xml_document xml_document::load_string(std::string text, std::string name) {
    std::unique_ptr<char[]> bytes(new char[text.size()]);
    std::memcpy(bytes.get(), text.data(), text.size());
    const size_t size = text.size();
    return parse(std::move(bytes), size, std::move(text), std::move(name));
}

xml_document xml_document::parse(std::unique_ptr<char[]> bytes, size_t size, std::string source, std::string name) {
    xml_document d;
    d.name_ = std::move(name);
    d.source_ = std::move(source);
    d.parsed_ = std::move(bytes);
    d.doc_ = std::make_unique<pugi::xml_document>();
    const pugi::xml_parse_result r = d.doc_->load_buffer_inplace(d.parsed_.get(), size, parse_options);
    if (!r) {
        const auto [line, col] = d.offset_to_line_column(static_cast<size_t>(std::max<ptrdiff_t>(r.offset, 0)));
        throw error(d.name_, line, col, std::string("malformed XML: ") + r.description());
    }
    if (!d.doc_->document_element()) throw error(d.name_, "malformed XML: no root element");
    if (may_have_prefixed_names(d.source_)) d.check_prefixes();
    // Root namespace from the root's own declarations.
    const pugi::xml_node root = d.doc_->document_element();
    const auto [prefix, local] = split_qname(root.name());
    const std::string decl = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
    d.root_ns_ = root.attribute(decl.c_str()).value();
    return d;
}

xml_document xml_document::from_node(pugi::xml_node root_element, std::string name) {
    xml_document d;
    d.name_ = std::move(name);
    d.doc_ = std::make_unique<pugi::xml_document>();
    // Carry in-scope namespace declarations of the ancestors onto the copy's root.
    pugi::xml_node copy = d.doc_->append_copy(root_element);
    for (pugi::xml_node a = root_element.parent(); a; a = a.parent())
        for (pugi::xml_attribute at : a.attributes())
            if (detail::is_namespace_declaration(at.name()) && !copy.attribute(at.name()))
                copy.append_attribute(at.name()).set_value(at.value());
    const auto [prefix, local] = split_qname(copy.name());
    const std::string decl = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
    d.root_ns_ = copy.attribute(decl.c_str()).value();
    return d;
}

// Namespace well-formedness, which pugixml does not check: every prefix of an element or attribute name is
// declared on that element or an ancestor (xml is always declared; xmlns only declares).
void xml_document::check_prefixes() const {
    std::vector<std::string_view> declared; // prefixes in scope, innermost last
    std::vector<size_t> marks;              // declared.size() before each open element
    auto is_declared = [&](std::string_view prefix) {
        return prefix == "xml" || std::find(declared.rbegin(), declared.rend(), prefix) != declared.rend();
    };
    auto undeclared = [&](std::string_view prefix, std::pair<unsigned, unsigned> at) {
        return error(name_, at.first, at.second, "malformed XML: namespace prefix '" + std::string(prefix) +
                                                     "' is not declared");
    };
    for_each_element(
        doc_->document_element(),
        [&](pugi::xml_node n) {
            marks.push_back(declared.size());
            for (pugi::xml_attribute a : n.attributes())
                if (const std::string_view an = a.name(); an.size() > 6 && detail::is_namespace_declaration(an))
                    declared.push_back(an.substr(6));
            if (const auto [prefix, local] = split_qname(n.name()); !prefix.empty() && !is_declared(prefix))
                throw undeclared(prefix, line_column(n));
            for (pugi::xml_attribute a : n.attributes()) {
                const std::string_view an = a.name();
                if (detail::is_namespace_declaration(an)) continue;
                if (const auto [prefix, local] = split_qname(an); !prefix.empty() && !is_declared(prefix))
                    throw undeclared(prefix, line_column(a, n));
            }
        },
        [&](pugi::xml_node) {
            declared.resize(marks.back());
            marks.pop_back();
        });
}

std::string xml_document::root_local_name() const {
    return std::string(split_qname(root().name()).second);
}

std::pair<unsigned, unsigned> xml_document::offset_to_line_column(size_t offset) const {
    if (line_starts_.empty()) { // built on first use: most documents have no findings to place
        line_starts_.push_back(0);
        const char* const begin = source_.data();
        const char* const end = begin + source_.size();
        for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))));)
            line_starts_.push_back(static_cast<size_t>(++p - begin));
    }
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const size_t line = static_cast<size_t>(it - line_starts_.begin()); // 1-based
    const size_t col = offset - line_starts_[line - 1] + 1;
    return {static_cast<unsigned>(line), static_cast<unsigned>(col)};
}

size_t xml_document::node_offset(pugi::xml_node node) const {
    const ptrdiff_t direct = node.offset_debug();
    if (direct >= 0) return static_cast<size_t>(direct);
    // Renamed by canonicalize(), which kept the offset.
    const void* const key = node.internal_object();
    const auto it = std::lower_bound(renamed_offsets_.begin(), renamed_offsets_.end(), key,
                                     [](const auto& e, const void* k) { return std::less<const void*>()(e.first, k); });
    if (it != renamed_offsets_.end() && it->first == key) return static_cast<size_t>(it->second);
    return source_.size();
}

std::pair<unsigned, unsigned> xml_document::line_column(pugi::xml_node node) const {
    if (source_.empty() || !node) return {0, 0};
    if (node.type() != pugi::node_element) {
        // Text, comments and PIs: locate the nearest element.
        pugi::xml_node e = node.parent();
        return e && e.type() == pugi::node_element ? line_column(e) : std::pair<unsigned, unsigned>{0, 0};
    }
    size_t off = node_offset(node);
    if (off >= source_.size()) return {0, 0};
    if (off > 0 && source_[off - 1] == '<') --off; // point at the '<'
    return offset_to_line_column(off);
}

std::pair<unsigned, unsigned> xml_document::line_column(pugi::xml_attribute attr, pugi::xml_node owner) const {
    const auto element_pos = line_column(owner);
    if (element_pos.first == 0) return element_pos;
    // The attribute's index among the non-declaration attributes, then the same index in the start tag.
    size_t wanted = 0;
    for (pugi::xml_attribute a : owner.attributes()) {
        if (a == attr) break;
        if (!detail::is_namespace_declaration(a.name())) ++wanted;
    }
    size_t pos = node_offset(owner);
    while (pos < source_.size() && !std::isspace(static_cast<unsigned char>(source_[pos])) && source_[pos] != '>' &&
           source_[pos] != '/')
        ++pos; // skip the element name
    size_t index = 0;
    while (pos < source_.size()) {
        while (pos < source_.size() && std::isspace(static_cast<unsigned char>(source_[pos]))) ++pos;
        if (pos >= source_.size() || source_[pos] == '>' || source_[pos] == '/') break;
        const size_t name_start = pos;
        while (pos < source_.size() && source_[pos] != '=' && !std::isspace(static_cast<unsigned char>(source_[pos])))
            ++pos;
        const std::string_view name(source_.data() + name_start, pos - name_start);
        while (pos < source_.size() && source_[pos] != '"' && source_[pos] != '\'') ++pos;
        if (pos >= source_.size()) break;
        const char quote = source_[pos++];
        while (pos < source_.size() && source_[pos] != quote) ++pos;
        ++pos;
        const bool decl = name == "xmlns" || name.substr(0, 6) == "xmlns:";
        if (!decl) {
            if (index == wanted) return offset_to_line_column(name_start);
            ++index;
        }
    }
    return element_pos;
}

void xml_document::canonicalize(const namespace_bindings& bindings) {
    if (!canonical_for_.empty() && canonical_for_ == bindings) return;
    // Elements take the first prefix bound to their namespace ("" makes it the default namespace);
    // attributes, which a default namespace does not reach, the first non-empty one.
    std::map<std::string, std::string, std::less<>> element_prefix, attribute_prefix;
    std::map<std::string, std::string> prefixes; // final prefix -> uri
    for (const auto& [p, u] : bindings) {
        element_prefix.emplace(u, p);
        if (!p.empty()) attribute_prefix.emplace(u, p);
        prefixes.emplace(p, u);
    }
    unsigned generated = 0;
    auto generate = [&](const std::string& uri) {
        std::string p;
        do p = "ns" + std::to_string(++generated);
        while (prefixes.count(p));
        prefixes.emplace(p, uri);
        return p;
    };
    // Elements in no namespace stay unprefixed unless a bound namespace is the default.
    auto prefix_for = [&](const std::string& uri, bool attribute) -> std::string {
        if (uri == xml_ns_uri) return "xml";
        auto& chosen = attribute ? attribute_prefix : element_prefix;
        if (auto it = chosen.find(uri); it != chosen.end()) return it->second;
        if (uri.empty() && (attribute || !prefixes.count(""))) return {};
        std::string p = generate(uri);
        attribute_prefix.emplace(uri, p);
        element_prefix.emplace(uri, p);
        return p;
    };

    // In-scope declarations, a stack of (prefix, uri) searched from the top.
    std::vector<std::pair<std::string, std::string>> scope;
    auto resolve = [&](std::string_view prefix) -> std::string {
        if (prefix == "xml") return xml_ns_uri;
        for (auto it = scope.rbegin(); it != scope.rend(); ++it)
            if (it->first == prefix) return it->second;
        return {};
    };
    // Source prefix -> final element prefix, valid while the scope is unchanged: nearly every element of a
    // record shares one or two prefixes, so this saves resolving each name.
    struct memo_entry {
        std::string from, to;
    };
    std::vector<memo_entry> memo;
    auto final_prefix = [&](std::string_view prefix) -> const std::string& {
        for (const memo_entry& m : memo)
            if (m.from == prefix) return m.to;
        memo.push_back({std::string(prefix), prefix_for(resolve(prefix), false)});
        return memo.back().to;
    };
    std::string qname;
    auto qualified = [&](const std::string& p, std::string_view local) -> const char* {
        qname.assign(p);
        if (!p.empty()) qname += ':';
        qname.append(local);
        return qname.c_str();
    };

    // Pre-order walk over the elements: take in and remove the namespace declarations, rename. Not needed for
    // the commonest document, which has nothing to rename.
    std::vector<size_t> marks; // scope.size() before each open element
    pugi::xml_node root = doc_->document_element();
    auto enter = [&](pugi::xml_node n) {
        marks.push_back(scope.size());
        bool prefixed_attributes = false;
        for (pugi::xml_attribute a = n.first_attribute(); a;) {
            const pugi::xml_attribute next = a.next_attribute();
            if (const char* an = a.name(); an[0] == 'x' && detail::is_namespace_declaration(an)) {
                scope.emplace_back(an[5] == ':' ? std::string(an + 6) : std::string(), a.value());
                memo.clear();
                n.remove_attribute(a);
            } else if (std::strchr(an, ':')) {
                prefixed_attributes = true;
            }
            a = next;
        }
        const auto [prefix, local] = split_qname(n.name());
        if (const std::string& p = final_prefix(prefix); p != prefix) {
            // A renamed node loses its offset in the source: keep it (most records rename nothing).
            if (const ptrdiff_t at = n.offset_debug(); at >= 0) renamed_offsets_.emplace_back(n.internal_object(), at);
            n.set_name(qualified(p, local));
        }
        // Prefixed attributes (most elements have none) once the element's own declarations are in scope;
        // unprefixed attributes are in no namespace.
        if (prefixed_attributes)
            for (pugi::xml_attribute a : n.attributes()) {
                const char* an = a.name();
                if (!std::strchr(an, ':')) continue;
                const auto [ap, al] = split_qname(an);
                if (const std::string p = prefix_for(resolve(ap), true); p != ap) a.set_name(qualified(p, al));
            }
    };
    auto leave = [&](pugi::xml_node) {
        if (scope.size() != marks.back()) {
            scope.resize(marks.back());
            memo.clear();
        }
        marks.pop_back();
    };
    if (nothing_to_rename(bindings)) root.remove_attribute("xmlns");
    else for_each_element(root, enter, leave);
    std::sort(renamed_offsets_.begin(), renamed_offsets_.end(),
              [](const auto& a, const auto& b) { return std::less<const void*>()(a.first, b.first); });
    // The final declarations, on the root.
    pugi::xml_attribute first = root.first_attribute();
    for (const auto& [p, u] : prefixes) {
        const std::string decl = p.empty() ? std::string("xmlns") : "xmlns:" + p;
        (first ? root.insert_attribute_before(decl.c_str(), first) : root.append_attribute(decl.c_str())).set_value(u.c_str());
    }
    display_prefix_.clear();
    if (auto d = prefixes.find(""); d != prefixes.end())
        if (auto a = attribute_prefix.find(d->second); a != attribute_prefix.end()) display_prefix_ = a->second;
    prefix_to_uri_ = std::move(prefixes);
    canonical_for_ = bindings;
    locations_.reset(); // its steps name the nodes as they were
}

// True when the bindings make the root's namespace the default and the source text declares no other
// namespace (one "xmlns" in it: the root's): every element is then in that namespace and every name already
// as canonicalize() makes it. Found in the text, much faster than walking the tree; a second "xmlns" anywhere,
// even in a comment, takes the walk. (A prefix used without a declaration, which is not namespace-well-formed
// XML, is then kept as written.)
bool xml_document::nothing_to_rename(const namespace_bindings& bindings) const {
    if (source_.empty() || bindings.empty() || !bindings.front().first.empty() || !canonical_for_.empty()) return false;
    const pugi::xml_node root = doc_->document_element();
    if (std::strchr(root.name(), ':') || bindings.front().second != root.attribute("xmlns").value()) return false;
    const std::string_view text(source_);
    const size_t declaration = text.find("xmlns");
    return declaration != std::string_view::npos && text.find("xmlns", declaration + 5) == std::string_view::npos;
}

std::string xml_document::display_name(pugi::xml_node node) const {
    const char* name = node.name();
    if (display_prefix_.empty() || node.type() != pugi::node_element || std::strchr(name, ':')) return name;
    return display_prefix_ + ":" + name;
}

std::string xml_document::namespace_of(pugi::xml_node element) const {
    const auto [prefix, local] = split_qname(element.name());
    if (!canonical_for_.empty() || !prefix_to_uri_.empty()) {
        auto it = prefix_to_uri_.find(std::string(prefix));
        return it == prefix_to_uri_.end() ? std::string() : it->second;
    }
    const std::string decl = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
    for (pugi::xml_node a = element; a; a = a.parent())
        if (pugi::xml_attribute d = a.attribute(decl.c_str())) return d.value();
    return {};
}

std::string xml_document::namespace_of(pugi::xml_attribute attr, pugi::xml_node owner) const {
    const auto [prefix, local] = split_qname(attr.name());
    if (prefix.empty()) return {};
    if (prefix == "xml") return xml_ns_uri;
    auto it = prefix_to_uri_.find(std::string(prefix));
    if (it != prefix_to_uri_.end()) return it->second;
    const std::string decl = "xmlns:" + std::string(prefix);
    for (pugi::xml_node a = owner; a; a = a.parent())
        if (pugi::xml_attribute d = a.attribute(decl.c_str())) return d.value();
    return {};
}

source_location xml_document::locate(const pugi::xpath_node& xn) const {
    source_location loc;
    loc.file = name_;
    if (!locations_) locations_ = std::make_shared<const detail::location_index>(detail::location_index::build(*this));
    loc.path = locations_->path_of(xn);
    pugi::xml_node n = xn.attribute() ? xn.parent() : xn.node();
    if (xn.attribute()) {
        loc.element = std::string("@") + xn.attribute().name();
        std::tie(loc.line, loc.column) = line_column(xn.attribute(), n);
    } else {
        loc.element = n.type() == pugi::node_element ? display_name(n) : "";
        std::tie(loc.line, loc.column) = line_column(n.type() == pugi::node_document ? doc_->document_element() : n);
    }
    return loc;
}

} // namespace casedoc
