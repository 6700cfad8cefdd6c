/* casedoc plugin API: the C contract between the casedoc host and a setting plugin.
 *
 * A plugin is a shared library named casedoc_<id>.so that exports exactly two symbols:
 *   - casedoc_plugin_abi_major: a const uint32_t equal to CASEDOC_PLUGIN_ABI_MAJOR. The host reads it
 *     before it calls any plugin function, and refuses a plugin whose major version differs.
 *   - casedoc_plugin_entry: a function returning a pointer to a static casedoc_plugin_descriptor.
 * Use CASEDOC_PLUGIN_DEFINE(descriptor) from casedoc_plugin.hpp (C++) or define both by hand (C).
 *
 * Rules of the boundary:
 *   - Only C types cross it. Strings are NUL-terminated UTF-8, owned by the side that made them, and
 *     valid only for the duration of the call that passed them (copy what you keep).
 *   - No exception may leave a plugin function. Return non-zero and the host reports a plugin error.
 *   - Plugins stay loaded for the life of the process; static constructors must be trivial.
 *   - Threads: the host may call a plugin's functions concurrently for different records; a call for
 *     one record is never concurrent with another call for the same record. Keep no mutable globals.
 *   - Logging goes through host->log and must never carry protected health information (names, dates
 *     of birth, narrative text): record ids, rule ids and counts only.
 *
 * Versioning (see docs/plugin-abi.md): a minor version only appends fields to the end of the structs
 * below; struct_size tells each side which fields the other has. A new major version renames nothing
 * in place: the host refuses plugins whose casedoc_plugin_abi_major differs from its own.
 */
#ifndef CASEDOC_PLUGIN_H
#define CASEDOC_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CASEDOC_PLUGIN_ABI_MAJOR 1u
#define CASEDOC_PLUGIN_ABI_MINOR 3u

#if defined(_WIN32)
#define CASEDOC_PLUGIN_EXPORT __declspec(dllexport)
#else
#define CASEDOC_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Severity of a finding. */
typedef enum casedoc_severity {
    CASEDOC_SEVERITY_INFO = 0,
    CASEDOC_SEVERITY_WARNING = 1,
    CASEDOC_SEVERITY_ERROR = 2
} casedoc_severity;

/* Log levels for host->log. */
typedef enum casedoc_log_level {
    CASEDOC_LOG_DEBUG = 0,
    CASEDOC_LOG_INFO = 1,
    CASEDOC_LOG_WARNING = 2,
    CASEDOC_LOG_ERROR = 3
} casedoc_log_level;

/* An element of the record being checked. Opaque; valid during the call only. */
typedef struct casedoc_node casedoc_node;

/* The record being checked, plus where results go. Opaque; valid during the call only. */
typedef struct casedoc_check_context casedoc_check_context;

/* Services the host gives a plugin. Element and attribute names are local names (no prefix);
 * elements are matched in the casedoc record namespace. */
typedef struct casedoc_host_api {
    uint32_t struct_size; /* sizeof(casedoc_host_api) as the host built it */

    /* Log a message (no PHI) under the plugin's logger. */
    void (*log)(const casedoc_check_context* ctx, casedoc_log_level level, const char* message);

    /* The record's root element (<note> or <case-record>). */
    const casedoc_node* (*root)(const casedoc_check_context* ctx);
    /* First child element of `node` with local name `name` (any element when name is NULL), or NULL. */
    const casedoc_node* (*first_child)(const casedoc_node* node, const char* name);
    /* Next sibling element of `node` with local name `name` (any element when name is NULL), or NULL. */
    const casedoc_node* (*next_sibling)(const casedoc_node* node, const char* name);
    /* Local name of an element. */
    const char* (*name)(const casedoc_node* node);
    /* Value of an attribute (local name), or NULL when the attribute is absent. */
    const char* (*attribute)(const casedoc_node* node, const char* name);
    /* Text directly inside an element (first text child), or "" when there is none. */
    const char* (*text)(const casedoc_node* node);

    /* Value of a policy parameter (a schema-level sch:let, possibly overridden by the agency), or NULL. */
    const char* (*param)(const casedoc_check_context* ctx, const char* name);

    /* Report a finding of check `rule_id` at `node` (NULL: the record root). The host takes severity
     * and citation from the check's declaration and copies the message. */
    void (*report)(const casedoc_check_context* ctx, const char* rule_id, const casedoc_node* node,
                   const char* message);
    /* Set a derived fact, visible to the setting's schemas as the XPath string variable $<name>.
     * Only names declared in casedoc_plugin_descriptor.fact_names may be set. */
    void (*set_fact)(const casedoc_check_context* ctx, const char* name, const char* value);

    /* --- ABI 1.1 --- (present when struct_size > offsetof(casedoc_host_api, write_row)) */

    /* Write one row of the export being run: `count` values, one per declared column, in column order
     * (NULL is written as an empty value). Only during an export's run function. */
    void (*write_row)(const casedoc_check_context* ctx, const char* const* values, uint32_t count);

    /* --- ABI 1.2 --- (present when struct_size > offsetof(casedoc_host_api, not_applicable)) */

    /* Say that check `rule_id` does not apply to this record (the condition it checks does not arise,
     * for example no change of condition for a plan-update rule), so an audit rates it "not applicable"
     * instead of "met". Only during that check's run. A check that neither reports nor calls this is met. */
    void (*not_applicable)(const casedoc_check_context* ctx, const char* rule_id);

    /* --- ABI 1.3 --- (present when struct_size > offsetof(casedoc_host_api, due)) */

    /* Say when check `rule_id` is next due on this record, for worklists (casedoc due): `due` is a date
     * (YYYY-MM-DD) or a date-time (YYYY-MM-DDThh:mm), `anchor` what it is counted from, without PHI
     * ("program review 2025-03-04"), `node` where (NULL: the record root). Only during that check's run,
     * once per obligation it tracks, whether or not the check also reports a finding (then the item is
     * overdue). The host ignores it when no worklist is asked for. A plugin built for 1.2 never calls it:
     * its checks simply give no due items. */
    void (*due)(const casedoc_check_context* ctx, const char* rule_id, const char* due, const char* anchor,
                const casedoc_node* node);
} casedoc_host_api;

/* Returns 0 when the function ran (whatever it found), non-zero when it could not run; in that
 * case the host reports a plugin error for the record and the record counts as not checked. */
typedef int (*casedoc_plugin_fn)(const casedoc_host_api* host, const casedoc_check_context* ctx);

/* A native check: a rule that XML schemas cannot express well, reported like any schema rule. */
typedef struct casedoc_check {
    const char* rule_id;   /* unique across the plugin's schemas and checks, e.g. "CW-W9" */
    casedoc_severity severity;
    const char* citation;  /* regulatory citation, or "agency policy (configurable)" */
    const char* title;     /* one line, no PHI */
    const char* const* document_types; /* NULL-terminated list; NULL means every document type */
    casedoc_plugin_fn run;
} casedoc_check;

/* An export (ABI 1.1): a delimited file a plugin fills from records, such as a funder's case service
 * report. The host runs `run` once per record of the plugin's setting (in input order) and writes the
 * rows the plugin gives it under the column headings, to one file. */
typedef struct casedoc_export {
    const char* name;     /* unique within the plugin, e.g. "rsa911"; the CLI names it "<id>:<name>" */
    const char* title;    /* one line, no PHI */
    const char* version;  /* version of the field mapping, e.g. "PD 19-03" */
    const char* const* columns;        /* NULL-terminated column headings, at least one */
    const char* const* document_types; /* NULL-terminated; NULL means every document type */
    casedoc_plugin_fn run;             /* calls host->write_row zero or more times */
} casedoc_export;

/* What a plugin is. Static storage; fields are only ever appended (check struct_size). */
typedef struct casedoc_plugin_descriptor {
    uint32_t struct_size; /* sizeof(casedoc_plugin_descriptor) as the plugin built it */
    uint32_t abi_major;   /* CASEDOC_PLUGIN_ABI_MAJOR */
    uint32_t abi_minor;   /* CASEDOC_PLUGIN_ABI_MINOR the plugin was built against */
    const char* id;       /* equal to the file stem without "casedoc_": child_welfare */
    const char* name;     /* human name: "Child welfare (title IV-B/IV-E)" */
    const char* version;  /* plugin version, e.g. "1.0.0" */
    const char* const* document_types; /* NULL-terminated: "case-record", "visit-note", ... */
    const char* const* fact_names;     /* NULL-terminated or NULL: facts derive_facts may set */
    casedoc_plugin_fn derive_facts;    /* may be NULL; runs before the schemas on each record */
    const casedoc_check* checks;
    uint32_t check_count;

    /* --- ABI 1.1 --- */
    const casedoc_export* exports; /* may be NULL */
    uint32_t export_count;
} casedoc_plugin_descriptor;

/* The two exported symbols. */
typedef const casedoc_plugin_descriptor* (*casedoc_plugin_entry_fn)(void);
#define CASEDOC_PLUGIN_ENTRY_SYMBOL "casedoc_plugin_entry"
#define CASEDOC_PLUGIN_ABI_SYMBOL "casedoc_plugin_abi_major"

#ifdef __cplusplus
}
#endif

#endif /* CASEDOC_PLUGIN_H */
