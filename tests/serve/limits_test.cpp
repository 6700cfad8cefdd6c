// casedoc serve --max-record-bytes / --max-depth: a record over a limit gets 422 naming it and the option, and
// the service goes on; one exactly at the limit is checked (200).
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace casedoc_test;

namespace {

const std::string jose = std::string(CASEDOC_SOURCE_DIR) + "/plugins/child_welfare/samples/valid/case-record-jose-2024.xml";

httplib::Result post(httplib::Client& c, const std::string& secret) {
    return c.Post("/v1/validate?name=jose.xml", bearer(secret), read_file(jose), "application/xml");
}

} // namespace

TEST_CASE("serve --max-record-bytes: a record of exactly that size is checked, one byte more gets 422",
          "[serve][limits]") {
    tokens_file tokens{std::map<std::string, std::string>{{"all", "--settings '*' --scopes validate"}}};
    const size_t size = read_file(jose).size();
    {
        server_process at(tokens.file, "--max-record-bytes " + std::to_string(size));
        auto c = at.client();
        const auto r = post(c, tokens.secrets.at("all"));
        REQUIRE(r);
        CHECK(r->status == 200);
    }
    server_process over(tokens.file, "--max-record-bytes " + std::to_string(size - 1));
    auto c = over.client();
    const auto r = post(c, tokens.secrets.at("all"));
    REQUIRE(r);
    CHECK(r->status == 422);
    const auto j = nlohmann::json::parse(r->body);
    CHECK(j["records"][0]["file"] == "jose.xml");
    CHECK_THAT(j["records"][0]["error"]["message"].get<std::string>(), Catch::Contains("(--max-record-bytes)"));
    const auto health = c.Get("/healthz"); // and it goes on
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("serve --max-depth: a record nested deeper gets 422 naming the option", "[serve][limits]") {
    tokens_file tokens{std::map<std::string, std::string>{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--max-depth 1");
    auto c = server.client();
    const auto r = post(c, tokens.secrets.at("all"));
    REQUIRE(r);
    CHECK(r->status == 422);
    CHECK_THAT(r->body, Catch::Contains("(--max-depth)"));
}

TEST_CASE("serve --max-depth applies to exports too: a record nested deeper gets 422 naming the option",
          "[serve][limits]") {
    tokens_file tokens{std::map<std::string, std::string>{{"all", "--settings '*' --scopes export"}}};
    const std::string record =
        std::string(CASEDOC_SOURCE_DIR) + "/plugins/vocational/samples/valid/case-record-jose-2026.xml";
    server_process server(tokens.file, "--max-depth 1");
    auto c = server.client();
    const auto r = c.Post("/v1/export/vocational:rsa911?name=jose.xml", bearer(tokens.secrets.at("all")),
                          read_file(record), "application/xml");
    REQUIRE(r);
    CHECK(r->status == 422);
    CHECK_THAT(r->body, Catch::Contains("(--max-depth)"));
    CHECK_THAT(r->body, Catch::Contains("jose.xml"));
}
