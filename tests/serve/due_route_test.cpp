// POST /v1/due on a real `casedoc serve`: the JSON of `casedoc due --format json` for the same records, the
// worker's calendar, the scope and the query checked.
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace casedoc_test;

namespace {

const fs::path caseload = fs::path(CASEDOC_SOURCE_DIR) / "plugins/child_welfare/samples/caseload";

// The caseload's records as the parts of a multipart/form-data body, named by their file names.
httplib::MultipartFormDataItems caseload_parts(std::vector<std::string>& names) {
    for (const auto& e : fs::directory_iterator(caseload))
        if (e.path().extension() == ".xml") names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    httplib::MultipartFormDataItems parts;
    for (const auto& n : names) parts.push_back({"records", read_file(caseload / n), n, "application/xml"});
    return parts;
}

} // namespace

TEST_CASE("POST /v1/due answers the JSON of casedoc due --format json for the same records", "[serve][due]") {
    tokens_file tokens{{{"due", "--settings '*' --scopes due"}, {"validate", "--settings '*' --scopes validate"},
                        {"hospital", "--settings hospital --scopes due"}}};
    server_process server(tokens.file);
    auto client = server.client();
    std::vector<std::string> names;
    const auto parts = caseload_parts(names);

    for (const std::string query : {"as_of=2025-12-10", "as_of=2025-10-15&all=true", "as_of=2025-12-10&worker=u62",
                                    "as_of=2025-12-10&office=South&within=3w"}) {
        INFO(query);
        const auto r = client.Post(("/v1/due?" + query).c_str(), bearer(tokens.secrets["due"]), parts);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->get_header_value("Content-Type") == "application/json");
        // The command, run where the records are and given their file names, names them as the parts do.
        std::string args = "--format json";
        std::string q = query;
        for (size_t p; (p = q.find('&')) != std::string::npos;) q[p] = ' ';
        for (std::string kv; !q.empty();) {
            const size_t sp = q.find(' ');
            kv = q.substr(0, sp);
            q = sp == std::string::npos ? "" : q.substr(sp + 1);
            const size_t eq = kv.find('=');
            std::string name = kv.substr(0, eq), value = kv.substr(eq + 1);
            std::replace(name.begin(), name.end(), '_', '-');
            args += value == "true" ? " --" + name : " --" + name + " " + value;
        }
        std::string files;
        for (const auto& n : names) files += " " + n;
        const auto cli = shell("cd " + quote(caseload.string()) + " && " + CASEDOC_EXE + " due " + args + files);
        REQUIRE(cli.status <= 1);
        CHECK(nlohmann::json::parse(r->body) == nlohmann::json::parse(cli.out));
        CHECK(r->body == cli.out);
    }

    // One XML body works too.
    const auto one = client.Post("/v1/due?as_of=2025-12-10&name=cw-2025-0127.xml", bearer(tokens.secrets["due"]),
                                 read_file(caseload / "cw-2025-0127.xml"), "application/xml");
    REQUIRE(one);
    CHECK(one->status == 200);
    CHECK(nlohmann::json::parse(one->body)["summary"]["case_records"] == 1);

    // The worker's calendar.
    const auto ics = client.Post("/v1/due?as_of=2025-12-10&format=ics&worker=u62", bearer(tokens.secrets["due"]), parts);
    REQUIRE(ics);
    CHECK(ics->status == 200);
    CHECK_THAT(ics->get_header_value("Content-Type"), Catch::StartsWith("text/calendar"));
    CHECK_THAT(ics->body, Catch::StartsWith("BEGIN:VCALENDAR"));
    CHECK_THAT(ics->body, Catch::Contains("BEGIN:VTODO"));
    const auto pdf = client.Post("/v1/due?as_of=2025-12-10&format=pdf", bearer(tokens.secrets["due"]), parts);
    REQUIRE(pdf);
    CHECK(pdf->status == 200);
    CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
    CHECK_THAT(pdf->body, Catch::StartsWith("%PDF-"));
    const auto csv = client.Post("/v1/due?as_of=2025-12-10&format=csv", bearer(tokens.secrets["due"]), parts);
    REQUIRE(csv);
    CHECK_THAT(csv->body, Catch::StartsWith("record_id,client_id,"));

    // Refused: a token without the scope, a setting the token may not use, a bad query.
    auto refused = client.Post("/v1/due?as_of=2025-12-10", bearer(tokens.secrets["validate"]), parts);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    refused = client.Post("/v1/due?as_of=2025-12-10", bearer(tokens.secrets["hospital"]), parts);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    for (const std::string bad : {"as_of=2025-02-30", "within=soon", "all=maybe", "format=xml", "format=ics"}) {
        INFO(bad);
        const auto r = client.Post(("/v1/due?" + bad).c_str(), bearer(tokens.secrets["due"]), parts);
        REQUIRE(r);
        CHECK(r->status == 400);
    }
}
