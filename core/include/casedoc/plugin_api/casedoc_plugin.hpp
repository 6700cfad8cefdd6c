// C++ conveniences for plugin authors, header-only and compiled into the plugin: nothing here crosses
// the boundary. Wraps the C contract of casedoc_plugin.h in a small node type and a call guard.
#ifndef CASEDOC_PLUGIN_HPP
#define CASEDOC_PLUGIN_HPP

#include <casedoc/plugin_api/casedoc_plugin.h>

#include <cstddef>
#include <exception>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc::sdk {

class node_range;

// A read-only view of an element of the record under check. Valid during the call only.
class node {
public:
    node() = default;
    node(const casedoc_host_api* host, const casedoc_node* n) : host_(host), n_(n) {}

    explicit operator bool() const { return n_ != nullptr; }
    const casedoc_node* handle() const { return n_; }

    std::string_view name() const { return n_ ? host_->name(n_) : std::string_view{}; }
    // Attribute value, or "" when absent (use has() to tell the two apart).
    std::string_view attr(const char* name) const {
        const char* v = n_ ? host_->attribute(n_, name) : nullptr;
        return v ? std::string_view(v) : std::string_view{};
    }
    bool has(const char* name) const { return n_ && host_->attribute(n_, name) != nullptr; }
    std::string_view text() const { return n_ ? host_->text(n_) : std::string_view{}; }

    node child(const char* name = nullptr) const { return {host_, n_ ? host_->first_child(n_, name) : nullptr}; }
    node next(const char* name = nullptr) const { return {host_, n_ ? host_->next_sibling(n_, name) : nullptr}; }

    // Iterate over child elements named `name` (all child elements when name is nullptr).
    using range = node_range;
    range children(const char* name = nullptr) const;

private:
    const casedoc_host_api* host_ = nullptr;
    const casedoc_node* n_ = nullptr;
};

// The child elements of a node, for range-for (a class of its own: node is incomplete inside node).
class node_range {
public:
    class iterator {
    public:
        iterator(node n, const char* name) : n_(n), name_(name) {}
        node operator*() const { return n_; }
        iterator& operator++() {
            n_ = n_.next(name_);
            return *this;
        }
        bool operator!=(const iterator& o) const { return n_.handle() != o.n_.handle(); }

    private:
        node n_;
        const char* name_;
    };
    node_range(node first, const char* name) : first_(first), name_(name) {}
    iterator begin() const { return {first_, name_}; }
    iterator end() const { return {node{}, name_}; }

private:
    node first_;
    const char* name_;
};

inline node::range node::children(const char* name) const { return {child(name), name}; }

// What a check function gets: the record root, findings, facts, parameters and logging.
class context {
public:
    context(const casedoc_host_api* host, const casedoc_check_context* ctx) : host_(host), ctx_(ctx) {}

    node root() const { return {host_, host_->root(ctx_)}; }
    void report(const char* rule_id, node at, const std::string& message) const {
        host_->report(ctx_, rule_id, at.handle(), message.c_str());
    }
    void set_fact(const char* name, const std::string& value) const { host_->set_fact(ctx_, name, value.c_str()); }
    // A policy parameter, or `fallback` when the schema does not define it.
    std::string_view param(const char* name, std::string_view fallback = {}) const {
        const char* v = host_->param(ctx_, name);
        return v ? std::string_view(v) : fallback;
    }
    void log(casedoc_log_level level, const std::string& message) const {
        host_->log(ctx_, level, message.c_str());
    }
    // This check's rule does not apply to the record (ABI 1.2 hosts; older hosts rate it met). For audits.
    void not_applicable(const char* rule_id) const {
        if (host_->struct_size > offsetof(casedoc_host_api, not_applicable)) host_->not_applicable(ctx_, rule_id);
    }
    // When this check's rule is next due on the record (a date or date-time), counted from `anchor` ("program
    // review 2025-03-04", no PHI), for worklists (ABI 1.3 hosts; older hosts list nothing).
    void due(const char* rule_id, node at, const std::string& due, const std::string& anchor) const {
        if (host_->struct_size > offsetof(casedoc_host_api, due))
            host_->due(ctx_, rule_id, due.c_str(), anchor.c_str(), at.handle());
    }
    // One row of the export being run, one value per declared column (ABI 1.1 hosts).
    void write_row(std::initializer_list<std::string_view> values) const {
        if (host_->struct_size <= offsetof(casedoc_host_api, write_row))
            throw std::runtime_error("this casedoc host is older than ABI 1.1 and cannot run exports");
        std::vector<std::string> owned(values.begin(), values.end());
        std::vector<const char*> ptrs;
        for (const std::string& v : owned) ptrs.push_back(v.c_str());
        host_->write_row(ctx_, ptrs.data(), static_cast<uint32_t>(ptrs.size()));
    }

private:
    const casedoc_host_api* host_;
    const casedoc_check_context* ctx_;
};

// Runs `fn(context)` and turns any exception into a non-zero status, as the boundary requires.
template <typename Fn>
int guarded(const casedoc_host_api* host, const casedoc_check_context* ctx, Fn&& fn) noexcept {
    try {
        fn(context(host, ctx));
        return 0;
    } catch (const std::exception& e) {
        host->log(ctx, CASEDOC_LOG_ERROR, e.what());
    } catch (...) {
        host->log(ctx, CASEDOC_LOG_ERROR, "unknown exception");
    }
    return 1;
}

} // namespace casedoc::sdk

// Defines a C entry point `name` that runs `void body(const casedoc::sdk::context&)` under guard.
#define CASEDOC_CHECK_FUNCTION(name, body)                                                                 \
    extern "C" int name(const casedoc_host_api* host, const casedoc_check_context* ctx) {                 \
        return casedoc::sdk::guarded(host, ctx, body);                                                     \
    }

// Exports the two symbols of the contract for a static descriptor.
#define CASEDOC_PLUGIN_DEFINE(descriptor)                                                                  \
    extern "C" CASEDOC_PLUGIN_EXPORT const uint32_t casedoc_plugin_abi_major = CASEDOC_PLUGIN_ABI_MAJOR;   \
    extern "C" CASEDOC_PLUGIN_EXPORT const casedoc_plugin_descriptor* casedoc_plugin_entry(void) {         \
        return &(descriptor);                                                                              \
    }

#endif // CASEDOC_PLUGIN_HPP
