// casedoc serve, started for real on a free loopback port and talked to over a socket: its answers are the
// commands' answers, its tokens limit who does what, bad requests get a 4xx and the server goes on, its log
// holds no client data, and SIGTERM stops it cleanly.
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

namespace {

using namespace casedoc_test;

std::string sample(const std::string& setting, const std::string& name) {
    return std::string(CASEDOC_SOURCE_DIR) + "/plugins/" + setting + "/samples/" + name;
}

const std::string jose = sample("child_welfare", "valid/case-record-jose-2024.xml");
const std::string late_plan = sample("child_welfare", "invalid/w4-plan-after-60-days.xml");
const std::string hospital_note = sample("hospital", "valid/progress-note-dap.xml");
const std::string malformed = std::string(CASEDOC_SOURCE_DIR) + "/tests/cli/data/malformed.xml";

// The service's answer to one record sent as its body, named like the file so that the JSON can equal the CLI's.
httplib::Result post_record(httplib::Client& c, const std::string& route, const std::string& file,
                            const std::string& secret, const std::string& query = "") {
    // The samples' paths need no escaping in a query: letters, digits and / _ . -
    return c.Post((route + "?name=" + file + query).c_str(), bearer(secret),
                  read_file(file), "application/xml");
}

struct service_fixture {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate,render"},
                        {"hospital_only", "--settings hospital --scopes validate,render"},
                        {"validate_only", "--settings child_welfare --scopes validate"}}};
    server_process server{tokens.file};
    httplib::Client client = server.client();
    const std::string& secret(const std::string& name) { return tokens.secrets.at(name); }
};

} // namespace

TEST_CASE_METHOD(service_fixture, "health and readiness answer without a token", "[serve]") {
    auto r = client.Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
    r = client.Get("/readyz");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(nlohmann::json::parse(r->body)["plugins"].get<int>() >= 4);
}

TEST_CASE_METHOD(service_fixture, "POST /v1/validate answers exactly the JSON of casedoc validate --format json",
                 "[serve][validate]") {
    for (const std::string& file : {jose, late_plan, malformed}) {
        INFO(file);
        const auto cli = casedoc("validate --format json " + quote(file));
        const auto r = post_record(client, "/v1/validate", file, secret("all"));
        REQUIRE(r);
        CHECK(r->body == cli.out);
        CHECK(r->get_header_value("Content-Type") == "application/json");
        // Checked (compliant or not): 200; could not be checked (here malformed XML, exit 2): 422.
        CHECK(r->status == (cli.status == 2 ? 422 : 200));
    }
    const auto bad = nlohmann::json::parse(post_record(client, "/v1/validate", malformed, secret("all"))->body);
    CHECK(bad["records"][0]["status"] == "error");
    CHECK(bad["records"][0]["error"]["line"].get<int>() > 0);
    // A body sent gzip-compressed (Content-Encoding: gzip) is the same record.
    auto gzip_client = server.client();
    gzip_client.set_compress(true);
    const auto zipped = post_record(gzip_client, "/v1/validate", late_plan, secret("all"));
    REQUIRE(zipped);
    CHECK(zipped->status == 200);
    CHECK(zipped->body == casedoc("validate --format json " + quote(late_plan)).out);
}

TEST_CASE_METHOD(service_fixture, "several records as multipart/form-data: the JSON of validating them together",
                 "[serve][validate]") {
    const httplib::MultipartFormDataItems items{{"records", read_file(jose), jose, "application/xml"},
                                                {"records", read_file(late_plan), late_plan, "application/xml"}};
    const auto r = client.Post("/v1/validate", bearer(secret("all")), items);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == casedoc("validate --format json " + quote(jose) + " " + quote(late_plan)).out);
}

TEST_CASE_METHOD(service_fixture, "format=text and policy parameters act as on the command line", "[serve][validate]") {
    auto r = post_record(client, "/v1/validate", late_plan, secret("all"), "&format=text");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK_THAT(r->body, Catch::Contains("[CW-W4]"));
    const std::string record = sample("child_welfare", "valid/case-plan-youth-consulted.xml");
    r = post_record(client, "/v1/validate", record, secret("all"), "&param=note-sign-hours%3D1");
    REQUIRE(r);
    CHECK(r->body == casedoc("validate --format json --param note-sign-hours=1 " + quote(record)).out);
    r = post_record(client, "/v1/validate", record, secret("all"), "&param=oops");
    REQUIRE(r);
    CHECK(r->status == 400);
}

TEST_CASE_METHOD(service_fixture, "no token or a wrong one: 401, outside its settings or scopes: 403",
                 "[serve][tokens]") {
    auto r = client.Post("/v1/validate", read_file(jose), "application/xml");
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(r->get_header_value("WWW-Authenticate") == "Bearer realm=\"casedoc\"");
    r = post_record(client, "/v1/validate", jose, secret("all") + "x");
    REQUIRE(r);
    CHECK(r->status == 401);
    // A hospital token cannot validate a child welfare record, but can a hospital one.
    r = post_record(client, "/v1/validate", jose, secret("hospital_only"));
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK_THAT(r->body, Catch::Contains("setting 'child_welfare'"));
    r = post_record(client, "/v1/validate", hospital_note, secret("hospital_only"));
    REQUIRE(r);
    CHECK(r->status == 200);
    // A token for validation only cannot render.
    r = post_record(client, "/v1/render", jose, secret("validate_only"));
    REQUIRE(r);
    CHECK(r->status == 403);
    // The plugin list shows a token its own settings only.
    r = client.Get("/v1/plugins", bearer(secret("hospital_only")));
    REQUIRE(r);
    CHECK(r->status == 200);
    const auto list = nlohmann::json::parse(r->body);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["id"] == "hospital");
}

TEST_CASE_METHOD(service_fixture, "POST /v1/render answers the PDF of casedoc render, 422 with the findings, or the draft",
                 "[serve][render]") {
    temp_dir out;
    REQUIRE(casedoc("render " + quote(jose) + " -o " + quote((out.path / "jose.pdf").string())).status == 0);
    auto r = post_record(client, "/v1/render", jose, secret("all"));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/pdf");
    CHECK(r->get_header_value("Content-Disposition") == "attachment; filename=\"case-record-jose-2024.pdf\"");
    CHECK(r->body == read_file(out.path / "jose.pdf"));

    r = post_record(client, "/v1/render", late_plan, secret("all"));
    REQUIRE(r);
    CHECK(r->status == 422);
    const auto findings = nlohmann::json::parse(r->body);
    CHECK(findings["records"][0]["status"] == "not-compliant");

    REQUIRE(casedoc("render --draft " + quote(late_plan) + " -o " + quote((out.path / "draft.pdf").string())).status == 1);
    r = post_record(client, "/v1/render", late_plan, secret("all"), "&draft=true");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("X-Casedoc-Status") == "draft");
    CHECK(r->body == read_file(out.path / "draft.pdf"));
}

TEST_CASE("serve --var agency=NAME renders the PDF of casedoc render --var agency=NAME", "[serve][render][agency]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate,render"}}};
    server_process server(tokens.file, "--var 'agency=Acme Housing Services'");
    auto client = server.client();
    temp_dir out;
    REQUIRE(casedoc("render --var 'agency=Acme Housing Services' " + quote(jose) + " -o " +
                    quote((out.path / "acme.pdf").string()))
                .status == 0);
    REQUIRE(casedoc("render " + quote(jose) + " -o " + quote((out.path / "default.pdf").string())).status == 0);
    const auto r = post_record(client, "/v1/render", jose, tokens.secrets["all"]);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == read_file(out.path / "acme.pdf"));
    CHECK(r->body != read_file(out.path / "default.pdf"));
}

TEST_CASE_METHOD(service_fixture, "bad requests get a 4xx with a JSON error and the server goes on", "[serve][bad]") {
    auto r = client.Post("/v1/validate", bearer(secret("all")), read_file(jose), "text/plain");
    REQUIRE(r);
    CHECK(r->status == 415);
    r = client.Post("/v1/validate", bearer(secret("all")), "", "application/xml");
    REQUIRE(r);
    CHECK(r->status == 400);
    r = client.Get("/v1/no-such-route", bearer(secret("all")));
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(nlohmann::json::parse(r->body)["error"]["status"] == 404);
    r = client.Post("/v1/validate?format=pdf", bearer(secret("all")), read_file(jose), "application/xml");
    REQUIRE(r);
    CHECK(r->status == 400);
    const httplib::MultipartFormDataItems two{{"records", read_file(jose), jose, "application/xml"},
                                              {"records", read_file(jose), jose, "application/xml"}};
    r = client.Post("/v1/render", bearer(secret("all")), two);
    REQUIRE(r);
    CHECK(r->status == 400);
    r = client.Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
}

TEST_CASE("limits: a body too large is 413, too many records 413, a client that stops sending is cut off",
          "[serve][limits]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--max-body-mb 1 --max-records 2 --read-timeout 1");
    auto client = server.client();
    auto r = client.Post("/v1/validate", bearer(tokens.secrets["all"]), std::string(2 * 1024 * 1024, 'x'),
                         "application/xml");
    REQUIRE(r);
    CHECK(r->status == 413);
    const httplib::MultipartFormDataItems three{{"records", read_file(jose), "a.xml", "application/xml"},
                                                {"records", read_file(jose), "b.xml", "application/xml"},
                                                {"records", read_file(jose), "c.xml", "application/xml"}};
    r = client.Post("/v1/validate", bearer(tokens.secrets["all"]), three);
    REQUIRE(r);
    CHECK(r->status == 413);

    // Half a request, then silence: the server closes the connection after the read timeout.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string partial = "POST /v1/validate HTTP/1.1\r\nHost: x\r\n";
    REQUIRE(::send(fd, partial.data(), partial.size(), 0) == static_cast<ssize_t>(partial.size()));
    timeval wait{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    const auto start = std::chrono::steady_clock::now();
    char buf[512];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0); // 0: closed (or an error answer, then closed)
    const auto waited = std::chrono::steady_clock::now() - start;
    ::close(fd);
    CHECK(n >= 0);
    CHECK(waited < std::chrono::seconds(8));
    r = client.Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
}

TEST_CASE("the request log is one JSON line per request with ids only, never client data", "[serve][log]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate,render"}}};
    server_process server(tokens.file);
    auto client = server.client();
    for (const std::string& file : {jose, late_plan}) {
        REQUIRE(post_record(client, "/v1/validate", file, tokens.secrets["all"]));
        REQUIRE(post_record(client, "/v1/render", file, tokens.secrets["all"], "&draft=true"));
    }
    REQUIRE(client.Get("/v1/Jos%C3%A9-N%C3%BA%C3%B1ez"));
    REQUIRE(server.stop() == 0);
    const std::string log = server.log();
    std::istringstream lines(log);
    int requests = 0;
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        const auto j = nlohmann::json::parse(line);
        CHECK(j.contains("route"));
        CHECK(j.contains("status"));
        CHECK(j.contains("duration_ms"));
        ++requests;
    }
    CHECK(requests == 5);
    CHECK_THAT(log, Catch::Contains("\"token\":\"all\""));
    CHECK_THAT(log, Catch::Contains("CR-2024-0001")); // a record id
    CHECK_THAT(log, Catch::Contains("CW-W4"));        // a rule id
    // Names, birth dates, note text and file names of the records sent: none of them.
    for (const char* phi : {"José", "Núñez", "Jos%C3%A9", "2009-05-14", "Dana Reyes", "neglect",
                                   "case-record-jose-2024", "Shelter hearing"})
        CHECK_THAT(log, !Catch::Contains(phi));
}

TEST_CASE("SIGTERM stops the service: exit 0", "[serve]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file);
    auto client = server.client();
    REQUIRE(client.Get("/healthz"));
    CHECK(server.stop() == 0);
    CHECK_THAT(server.out(), Catch::Contains("casedoc serve: stopped"));
}

TEST_CASE("casedoc serve token add, list and revoke: the file keeps hashes only", "[serve][tokens]") {
    temp_dir dir;
    const std::string file = quote((dir.path / "tokens.json").string());
    const auto added = casedoc("serve token add agency-a --settings child_welfare,hospital --scopes validate,render --tokens " + file);
    REQUIRE(added.status == 0);
    const std::string secret = added.out.substr(0, added.out.find('\n'));
    CHECK(secret.size() == 68); // cdt_ and 256 bits in hexadecimal
    const std::string stored = read_file(dir.path / "tokens.json");
    CHECK_THAT(stored, !Catch::Contains(secret.substr(4)));
    CHECK((fs::status(dir.path / "tokens.json").permissions() & fs::perms::others_read) == fs::perms::none);
    CHECK(casedoc("serve token add agency-a --settings '*' --scopes validate --tokens " + file).status == 2);
    CHECK(casedoc("serve token add b --settings '*' --scopes delete --tokens " + file).status == 2);
    auto listed = casedoc("serve token list --tokens " + file);
    CHECK_THAT(listed.out, Catch::Contains("agency-a  settings: child_welfare hospital  scopes: validate render"));
    CHECK(casedoc("serve token revoke agency-a --tokens " + file).status == 0);
    CHECK(casedoc("serve token revoke agency-a --tokens " + file).status == 2);
    listed = casedoc("serve token list --tokens " + file);
    CHECK_THAT(listed.out, Catch::Contains("no tokens"));
}

TEST_CASE("plain HTTP beyond loopback needs --insecure-listen, and no tokens means no service", "[serve]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    auto r = casedoc("serve --listen 0.0.0.0:0 --tokens " + quote(tokens.file.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("--insecure-listen"));
    temp_dir empty;
    r = casedoc("serve --listen 127.0.0.1:0 --tokens " + quote((empty.path / "none.json").string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("cannot read the tokens file"));
}

TEST_CASE_METHOD(service_fixture, "GET /metrics counts requests, records and findings in Prometheus text",
                 "[serve][metrics]") {
    REQUIRE(post_record(client, "/v1/validate", late_plan, secret("all")));
    REQUIRE(post_record(client, "/v1/validate", jose, secret("all")));
    REQUIRE(client.Get("/v1/no-such-route"));
    const auto r = client.Get("/metrics");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK_THAT(r->get_header_value("Content-Type"), Catch::StartsWith("text/plain; version=0.0.4"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_http_requests_total{route=\"/v1/validate\",status=\"200\"} 2\n"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_http_requests_total{route=\"other\",status=\"404\"} 1\n"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_http_request_duration_seconds_count{route=\"/v1/validate\"} 2\n"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_records_total{status=\"compliant\"} 1\n"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_records_total{status=\"not-compliant\"} 1\n"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_findings_total{severity=\"error\"} 1\n"));
    CHECK_THAT(r->body, Catch::Contains("casedoc_http_requests_in_flight 0\n"));
}

TEST_CASE_METHOD(service_fixture, "GET /v1/schemas lists the schema versions of the token's settings", "[serve]") {
    const auto r = client.Get("/v1/schemas", bearer(secret("validate_only")));
    REQUIRE(r);
    CHECK(r->status == 200);
    const auto list = nlohmann::json::parse(r->body);
    REQUIRE(list.size() >= 2);
    for (const auto& s : list) {
        CHECK(s["setting"] == "child_welfare");
        CHECK_FALSE(s["version"].get<std::string>().empty());
        CHECK_FALSE(s["effective_from"].get<std::string>().empty());
    }
}

TEST_CASE_METHOD(service_fixture, "GET /v1/rules lists each setting's rules by schema version, with the citations findings carry",
                 "[serve][rules]") {
    auto r = client.Get("/v1/rules", bearer(secret("validate_only")));
    REQUIRE(r);
    CHECK(r->status == 200);
    auto list = nlohmann::json::parse(r->body);
    REQUIRE(list.size() == 1); // the token's one setting
    const auto& cw = list[0];
    CHECK(cw["setting"] == "child_welfare");
    const auto schemas = nlohmann::json::parse(client.Get("/v1/schemas", bearer(secret("validate_only")))->body);
    REQUIRE(cw["schemas"].size() == schemas.size());
    for (size_t i = 0; i < schemas.size(); ++i) {
        CHECK(cw["schemas"][i]["version"] == schemas[i]["version"]);
        CHECK(cw["schemas"][i]["effective_from"] == schemas[i]["effective_from"]);
        CHECK(cw["schemas"][i]["rules"].size() > 10);
    }
    // The finding of a record names the rule, severity and citation the list gives for its schema version.
    const auto checked = nlohmann::json::parse(post_record(client, "/v1/validate", late_plan, secret("all"))->body);
    const auto& record = checked["records"][0];
    REQUIRE_FALSE(record["findings"].empty());
    const auto& finding = record["findings"][0];
    const auto version = std::find_if(cw["schemas"].begin(), cw["schemas"].end(),
                                      [&](const auto& s) { return s["version"] == record["schema"]["version"]; });
    REQUIRE(version != cw["schemas"].end());
    const auto& rules = (*version)["rules"];
    const auto rule = std::find_if(rules.begin(), rules.end(), [&](const auto& x) { return x["rule_id"] == finding["rule_id"]; });
    REQUIRE(rule != rules.end());
    CHECK((*rule)["citation"] == finding["citation"]);
    CHECK((*rule)["severity"] == finding["severity"]);
    CHECK_FALSE((*rule)["title"].get<std::string>().empty());

    // Every setting for a token of all; one with ?setting=; none outside the token's or unknown.
    r = client.Get("/v1/rules", bearer(secret("all")));
    REQUIRE(r);
    CHECK(nlohmann::json::parse(r->body).size() >= 4);
    r = client.Get("/v1/rules?setting=hospital", bearer(secret("all")));
    REQUIRE(r);
    list = nlohmann::json::parse(r->body);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["setting"] == "hospital");
    CHECK(client.Get("/v1/rules?setting=hospital", bearer(secret("validate_only")))->status == 403);
    CHECK(client.Get("/v1/rules?setting=nothing", bearer(secret("all")))->status == 404);
    CHECK(client.Get("/v1/rules")->status == 401);
}

TEST_CASE_METHOD(service_fixture, "GET / serves the web page's own files, with a policy that allows nothing else",
                 "[serve][web]") {
    const std::string web = std::string(CASEDOC_SOURCE_DIR) + "/core/src/serve/web/";
    for (const auto& [path, file, type] : {std::tuple{"/", "index.html", "text/html"}, {"/app/app.js", "app.js", "text/javascript"},
                                           {"/app/app.css", "app.css", "text/css"}}) {
        INFO(path);
        const auto r = client.Get(path); // no token: the page asks for it
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->body == read_file(web + file));
        CHECK(r->get_header_value("Content-Type").rfind(type, 0) == 0);
        const std::string csp = r->get_header_value("Content-Security-Policy");
        CHECK(csp.find("default-src 'self'") != std::string::npos);
        CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
        CHECK(csp.find("unsafe") == std::string::npos);
        CHECK(r->get_header_value("Referrer-Policy") == "no-referrer");
        CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    }
    CHECK(client.Get("/app/missing.js")->status == 404);
    CHECK(client.Get("/app/index.html")->status == 404);
    CHECK(client.Get("/app/../CMakeLists.txt")->status == 404);
}

TEST_CASE("with --tls-cert and --tls-key the service speaks HTTPS", "[serve][tls]") {
    temp_dir dir;
    const fs::path cert = dir.path / "cert.pem", key = dir.path / "key.pem";
    const auto made = shell("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                            "-addext subjectAltName=IP:127.0.0.1 -keyout " + quote(key.string()) + " -out " +
                            quote(cert.string()));
    REQUIRE(made.status == 0);
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--tls-cert " + quote(cert.string()) + " --tls-key " + quote(key.string()));
    httplib::SSLClient tls("127.0.0.1", server.port());
    tls.set_ca_cert_path(cert.string().c_str());
    tls.enable_server_certificate_verification(true);
    const auto r = tls.Post(("/v1/validate?name=" + jose).c_str(), bearer(tokens.secrets["all"]), read_file(jose),
                            "application/xml");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == casedoc("validate --format json " + quote(jose)).out);
    // Plain HTTP to the HTTPS port gets no answer.
    auto plain = server.client();
    CHECK_FALSE(plain.Get("/healthz"));
    // A key that is not the certificate's: exit 2 naming the file.
    const auto bad = casedoc("serve --listen 127.0.0.1:0 --tokens " + quote(tokens.file.string()) + " --tls-cert " +
                             quote(cert.string()) + " --tls-key " + quote(cert.string()));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("cannot start TLS"));
}

namespace {

// Waits until /readyz reports this generation of the service's set (or 30 s pass); returns the last seen.
int wait_for_generation(httplib::Client& c, int generation) {
    int seen = 0;
    for (int i = 0; i < 300 && seen != generation; ++i) {
        if (auto r = c.Get("/readyz")) seen = nlohmann::json::parse(r->body)["generation"].get<int>();
        if (seen != generation) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return seen;
}

// Sends SIGHUP and waits until the log says the reload was refused (or 30 s pass).
void reload_refused(server_process& server) {
    server.signal(SIGHUP);
    for (int i = 0; i < 300 && server.log().find("reload refused") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_THAT(server.log(), Catch::Contains("reload refused"));
}

} // namespace

TEST_CASE("SIGHUP reloads tokens and schemas, refuses a set with a bad schema and drops no request",
          "[serve][reload]") {
    // The service reads a copy of the schemas, which the test then changes.
    temp_dir dir;
    fs::copy(fs::path(CASEDOC_SOURCE_DIR) / "schemas", dir.path / "schemas", fs::copy_options::recursive);
    tokens_file tokens{{{"first", "--settings '*' --scopes validate"}}};
    const std::string directories = "--isolated --plugin-dir " + quote(CASEDOC_PLUGIN_DIR) + " --schema-dir " +
                                    quote((dir.path / "schemas").string()) + " --template-dir " +
                                    quote(std::string(CASEDOC_SOURCE_DIR) + "/templates");
    server_process server(tokens.file, directories);
    auto client = server.client();
    REQUIRE(wait_for_generation(client, 1) == 1);

    // Requests go on while the service reloads twice: every one is answered, and answered right.
    const std::string expected = casedoc(directories + " validate --format json " + quote(late_plan)).out;
    std::atomic<bool> done{false};
    std::atomic<int> answered{0}, wrong{0};
    std::thread load([&] {
        auto c = server.client();
        while (!done) {
            const auto r = post_record(c, "/v1/validate", late_plan, tokens.secrets["first"]);
            if (r && r->status == 200 && r->body == expected) ++answered;
            else ++wrong;
        }
    });
    server.signal(SIGHUP);
    CHECK(wait_for_generation(client, 2) == 2);
    server.signal(SIGHUP);
    CHECK(wait_for_generation(client, 3) == 3);
    done = true;
    load.join();
    CHECK(answered > 0);
    CHECK(wrong == 0);

    // A token added to the file works after SIGHUP; a revoked one stops working.
    const auto added = casedoc("serve token add second --settings '*' --scopes validate --tokens " +
                               quote(tokens.file.string()));
    REQUIRE(added.status == 0);
    const std::string second = added.out.substr(0, added.out.find('\n'));
    REQUIRE(casedoc("serve token revoke first --tokens " + quote(tokens.file.string())).status == 0);
    CHECK(post_record(client, "/v1/validate", jose, second)->status == 401);
    server.signal(SIGHUP);
    REQUIRE(wait_for_generation(client, 4) == 4);
    CHECK(post_record(client, "/v1/validate", jose, second)->status == 200);
    CHECK(post_record(client, "/v1/validate", jose, tokens.secrets["first"])->status == 401);

    // A schema that does not compile: the reload is refused, the set in force stays and answers.
    const fs::path schema = dir.path / "schemas" / "child_welfare" / "child-welfare-2024.sch";
    break_schema(schema);
    reload_refused(server);
    CHECK_THAT(server.log(), Catch::Contains("child-welfare-2024.sch"));
    CHECK(wait_for_generation(client, 4) == 4);
    const auto r = post_record(client, "/v1/validate", late_plan, second);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == expected);
}

TEST_CASE("templates are read when a set is loaded: a reload takes them as they are, and refuses a broken one",
          "[serve][reload]") {
    temp_dir dir;
    fs::copy(fs::path(CASEDOC_SOURCE_DIR) / "templates", dir.path / "templates", fs::copy_options::recursive);
    tokens_file tokens{{{"all", "--settings '*' --scopes render"}}};
    const std::string directories = "--isolated --plugin-dir " + quote(CASEDOC_PLUGIN_DIR) + " --schema-dir " +
                                    quote(std::string(CASEDOC_SOURCE_DIR) + "/schemas") + " --template-dir " +
                                    quote((dir.path / "templates").string());
    server_process server(tokens.file, directories);
    auto client = server.client();
    REQUIRE(wait_for_generation(client, 1) == 1);
    const auto first = post_record(client, "/v1/render", jose, tokens.secrets["all"]);
    REQUIRE(first);
    REQUIRE(first->status == 200);

    // Broken on disk: the reload is refused naming the template, and renders go on with the set in force.
    const fs::path tpl = dir.path / "templates" / "child_welfare" / "case-record.xml";
    const std::string good = read_file(tpl.string());
    std::ofstream(tpl, std::ios::trunc) << "<template";
    reload_refused(server);
    CHECK_THAT(server.log(), Catch::Contains("case-record.xml"));
    CHECK(wait_for_generation(client, 1) == 1);
    const auto still = post_record(client, "/v1/render", jose, tokens.secrets["all"]);
    REQUIRE(still);
    CHECK(still->status == 200);
    CHECK(still->body == first->body);

    // Mended: the next reload is taken.
    std::ofstream(tpl, std::ios::trunc) << good;
    server.signal(SIGHUP);
    CHECK(wait_for_generation(client, 2) == 2);
}

namespace {

// A raw connection to the server, for what a well-behaved client library would not send.
struct raw_connection {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    explicit raw_connection(int port) {
        REQUIRE(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        timeval wait{10, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    }
    ~raw_connection() { ::close(fd); }
    void send(const std::string& bytes) const {
        REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
    }
    // One answer's head and body (by Content-Length); empty when the server closed the connection.
    std::string answer() {
        while (buffered.find("\r\n\r\n") == std::string::npos)
            if (!fill()) return {};
        const size_t head_end = buffered.find("\r\n\r\n") + 4;
        std::smatch m;
        const std::string head = buffered.substr(0, head_end);
        size_t length = 0;
        if (std::regex_search(head, m, std::regex("Content-Length: ([0-9]+)", std::regex::icase))) length = std::stoul(m[1]);
        while (buffered.size() < head_end + length)
            if (!fill()) break;
        std::string out = buffered.substr(0, head_end + length);
        buffered.erase(0, head_end + length);
        return out;
    }

private:
    std::string buffered;
    bool fill() {
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return false;
        buffered.append(buf, static_cast<size_t>(n));
        return true;
    }
};

} // namespace

TEST_CASE("POST /v1/export answers the CSV of casedoc export, and refuses what it cannot export", "[serve][export]") {
    tokens_file tokens{{{"vr", "--settings vocational --scopes export"},
                        {"vr_validate", "--settings vocational --scopes validate"},
                        {"cw", "--settings child_welfare --scopes export"}}};
    server_process server(tokens.file);
    auto client = server.client();
    const std::string a = sample("vocational", "valid/case-record-jose-2026.xml"),
                      b = sample("vocational", "valid/case-record-minh-ipe-extension.xml");
    const std::string params = "--param rsa911-year=2026 --param rsa911-quarter=1";
    const auto cli = casedoc("export vocational:rsa911 " + quote(a) + " " + quote(b) + " -o - " + params);
    REQUIRE(cli.status == 0);
    const httplib::MultipartFormDataItems both{{"records", read_file(a), a, "application/xml"},
                                               {"records", read_file(b), b, "application/xml"}};
    const std::string route = "/v1/export/vocational:rsa911?param=rsa911-year%3D2026&param=rsa911-quarter%3D1";
    auto r = client.Post(route.c_str(), bearer(tokens.secrets["vr"]), both);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK_THAT(r->get_header_value("Content-Type"), Catch::StartsWith("text/csv"));
    CHECK(r->body == cli.out);
    CHECK(r->get_header_value("X-Casedoc-Rows") == "2");

    // A record that cannot be read: nothing exported, 422 naming it.
    const std::string half = read_file(b).substr(0, read_file(b).size() / 2); // its root says vocational
    const httplib::MultipartFormDataItems with_bad{{"records", read_file(a), a, "application/xml"},
                                                   {"records", half, "malformed.xml", "application/xml"}};
    r = client.Post(route.c_str(), bearer(tokens.secrets["vr"]), with_bad);
    REQUIRE(r);
    CHECK(r->status == 422);
    const auto failure = nlohmann::json::parse(r->body);
    REQUIRE(failure["failed"].size() == 1);
    CHECK_THAT(failure["failed"][0].get<std::string>(), Catch::StartsWith("malformed.xml:"));

    r = client.Post("/v1/export/vocational:no-such", bearer(tokens.secrets["vr"]), read_file(a), "application/xml");
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK_THAT(r->body, Catch::Contains("vocational:rsa911"));
    r = client.Post("/v1/export/vocational:rsa911", bearer(tokens.secrets["vr_validate"]), read_file(a), "application/xml");
    REQUIRE(r);
    CHECK(r->status == 403); // no export scope
    r = client.Post("/v1/export/vocational:rsa911", bearer(tokens.secrets["cw"]), read_file(a), "application/xml");
    REQUIRE(r);
    CHECK(r->status == 403); // another setting
}

TEST_CASE("GET /v1/openapi.json is docs/openapi.json, a valid OpenAPI 3.0 document of the routes served",
          "[serve][openapi]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate,render,export,audit,due"}}};
    server_process server(tokens.file);
    auto client = server.client();
    const auto r = client.Get("/v1/openapi.json");
    REQUIRE(r);
    CHECK(r->status == 200);
    const std::string doc_file = std::string(CASEDOC_SOURCE_DIR) + "/docs/openapi.json";
    CHECK(r->body == read_file(doc_file));

    // Valid against the OpenAPI 3.0 schema (Debian's openapi-specification, checked with python3-jsonschema),
    // and a document that is not valid is refused by the same check.
    const std::string check = std::string("python3 ") + CASEDOC_SOURCE_DIR + "/tests/serve/check_openapi.py ";
    const auto valid = shell(check + quote(doc_file));
    CHECK(valid.status == 0);
    INFO(valid.err);
    temp_dir dir;
    auto broken = nlohmann::json::parse(r->body);
    broken["paths"]["/v1/validate"]["post"]["responses"]["200"].erase("description");
    std::ofstream(dir.path / "broken.json") << broken.dump();
    CHECK(shell(check + quote((dir.path / "broken.json").string())).status != 0);

    // Every operation it describes is served (no 404 or 405), with the method it gives; a job for the audit
    // routes, deleted last.
    auto job = client.Post("/v1/audit?period=2024-01-01..2024-12-31", bearer(tokens.secrets["all"]), read_file(jose),
                           "application/xml");
    REQUIRE(job);
    REQUIRE(job->status == 202);
    const std::string job_id = nlohmann::json::parse(job->body)["job"];
    for (int i = 0; i < 600; ++i) {
        const auto s = client.Get(("/v1/audit/" + job_id).c_str(), bearer(tokens.secrets["all"]));
        REQUIRE(s);
        if (nlohmann::json::parse(s->body)["state"] == "done") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto doc = nlohmann::json::parse(r->body);
    std::vector<std::tuple<std::string, std::string, bool>> operations; // method, path, secured
    for (const auto& [path, item] : doc["paths"].items()) {
        std::string concrete = std::regex_replace(path, std::regex(R"(\{plugin\}:\{export\})"), "vocational:rsa911");
        concrete = std::regex_replace(concrete, std::regex(R"(\{job\})"), job_id);
        concrete = std::regex_replace(concrete, std::regex(R"(\{report\})"), "audit.json");
        for (const auto& [method, op] : item.items())
            if (method != "parameters")
                operations.emplace_back(method, concrete, !op.contains("security") || !op["security"].empty());
    }
    std::stable_partition(operations.begin(), operations.end(), [](const auto& o) { return std::get<0>(o) != "delete"; });
    for (const auto& [method, path, secured] : operations) {
        INFO(method << ' ' << path);
        const httplib::Headers auth = secured ? bearer(tokens.secrets["all"]) : httplib::Headers{};
        const auto answer = method == "get"      ? client.Get(path.c_str(), auth)
                            : method == "delete" ? client.Delete(path.c_str(), auth)
                                                 : client.Post((path + (path == "/v1/audit" ? "?period=2024-01-01..2024-12-31" : "")).c_str(),
                                                               auth, read_file(jose), "application/xml");
        REQUIRE(answer);
        CHECK(answer->status != 404);
        CHECK(answer->status != 405);
        CHECK(answer->status != 401);
    }
    CHECK(operations.size() >= 14);
}

TEST_CASE("GET /v1/record.xsd is schemas/record/casedoc-record.xsd, without a token", "[serve][xsd]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file);
    auto client = server.client();
    const auto r = client.Get("/v1/record.xsd");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/xml");
    CHECK(r->body == read_file(std::string(CASEDOC_SOURCE_DIR) + "/schemas/record/casedoc-record.xsd"));
}

TEST_CASE("beyond --max-in-flight a request gets 503 with Retry-After, and the queue is in /metrics",
          "[serve][limits]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--max-in-flight 1 --check-slots 1");
    httplib::MultipartFormDataItems many;
    for (int i = 0; i < 200; ++i) many.push_back({"records", read_file(jose), "r" + std::to_string(i) + ".xml", "application/xml"});
    std::atomic<int> ok{0}, busy{0}, other{0};
    std::atomic<bool> retry_after{true};
    std::vector<std::thread> clients;
    for (int t = 0; t < 6; ++t)
        clients.emplace_back([&] {
            auto c = server.client();
            const auto r = c.Post("/v1/validate", bearer(tokens.secrets["all"]), many);
            if (r && r->status == 200) ++ok;
            else if (r && r->status == 503) {
                ++busy;
                if (r->get_header_value("Retry-After") != "1") retry_after = false;
            } else ++other;
        });
    for (auto& t : clients) t.join();
    CHECK(ok >= 1);
    CHECK(busy >= 1);
    CHECK(other == 0);
    CHECK(retry_after);
    auto client = server.client();
    const auto m = client.Get("/metrics");
    REQUIRE(m);
    CHECK_THAT(m->body, Catch::Contains("casedoc_check_queue_depth 0\n"));
    CHECK_THAT(m->body, Catch::Contains("casedoc_http_requests_total{route=\"/v1/validate\",status=\"503\"}"));
}

TEST_CASE("requests waiting for a check slot are all answered, each with its own record's findings",
          "[serve][limits]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--check-slots 1");
    const std::map<std::string, std::string> expected{{jose, casedoc("validate --format json " + quote(jose)).out},
                                                      {late_plan, casedoc("validate --format json " + quote(late_plan)).out}};
    std::atomic<int> right{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t)
        clients.emplace_back([&, t] {
            auto c = server.client();
            c.set_keep_alive(true);
            for (int i = 0; i < 10; ++i) {
                const std::string& file = (t + i) % 2 ? jose : late_plan;
                const auto r = post_record(c, "/v1/validate", file, tokens.secrets["all"]);
                if (r && r->status == 200 && r->body == expected.at(file)) ++right;
            }
        });
    for (auto& t : clients) t.join();
    CHECK(right == 80);
}

TEST_CASE("a kept-alive connection serves --keep-alive-requests requests, then the server closes it",
          "[serve][limits]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--keep-alive-requests 3");
    raw_connection conn(server.port());
    for (int i = 1; i <= 3; ++i) {
        conn.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string a = conn.answer();
        CHECK_THAT(a, Catch::StartsWith("HTTP/1.1 200"));
        CHECK((a.find("Connection: close") != std::string::npos) == (i == 3));
    }
    conn.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(conn.answer().empty()); // closed after the third

    // The default keeps a connection for many requests (clients need not reconnect every few).
    server_process standard(tokens.file);
    raw_connection kept(standard.port());
    for (int i = 0; i < 50; ++i) {
        kept.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string a = kept.answer();
        REQUIRE_THAT(a, Catch::StartsWith("HTTP/1.1 200"));
        CHECK(a.find("Connection: close") == std::string::npos);
    }
}

TEST_CASE("malformed HTTP, a header too large and a truncated multipart body get a 4xx, and the server goes on",
          "[serve][bad]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--read-timeout 2");
    {
        raw_connection conn(server.port());
        conn.send("THIS IS NOT HTTP\r\n\r\n");
        CHECK_THAT(conn.answer(), Catch::StartsWith("HTTP/1.1 400"));
    }
    {
        // A request target over 8 kB: 414, before any route looks at it.
        raw_connection conn(server.port());
        conn.send("POST /v1/export/" + std::string(60000, 'a') + ":b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        const std::string a = conn.answer();
        CHECK_THAT(a, Catch::StartsWith("HTTP/1.1 414"));
        CHECK_THAT(a, Catch::Contains("\"status\":414"));
    }
    {
        // A header over 64 kB: refused before the rest is read.
        raw_connection conn(server.port());
        conn.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
        const std::string a = conn.answer();
        CHECK_THAT(a, Catch::StartsWith("HTTP/1.1 431"));
        CHECK_THAT(a, Catch::Contains("\"status\":431"));
    }
    {
        // A multipart body whose closing boundary never comes (the length says what was sent).
        const std::string body = "--XYZ\r\nContent-Disposition: form-data; name=\"records\"; filename=\"a.xml\"\r\n"
                                 "Content-Type: application/xml\r\n\r\n" + read_file(jose).substr(0, 300);
        raw_connection conn(server.port());
        conn.send("POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokens.secrets["all"] +
                  "\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
        const std::string a = conn.answer();
        CHECK_THAT(a, Catch::StartsWith("HTTP/1.1 4"));
    }
    auto client = server.client();
    const auto r = post_record(client, "/v1/validate", jose, tokens.secrets["all"]);
    REQUIRE(r);
    CHECK(r->status == 200);
}

TEST_CASE("hundreds of slow connections keep no request waiting, and Expect: 100-continue is answered",
          "[serve][transport]") {
    tokens_file tokens{{{"all", "--settings '*' --scopes validate"}}};
    server_process server(tokens.file, "--read-timeout 30");
    // 300 clients that began a request and went quiet: each holds a socket for up to 30 s, not a thread.
    std::vector<std::unique_ptr<raw_connection>> slow;
    for (int i = 0; i < 300; ++i) {
        slow.push_back(std::make_unique<raw_connection>(server.port()));
        slow.back()->send("POST /v1/validate HTTP/1.1\r\nHost: x\r\n");
    }
    auto client = server.client();
    const auto start = std::chrono::steady_clock::now();
    const auto r = post_record(client, "/v1/validate", jose, tokens.secrets["all"]);
    const auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(waited < std::chrono::seconds(10)); // not after the slow clients' 30 s

    // A client that waits to be told before it sends its body (curl does, for a body over 1 MB).
    const std::string body = read_file(jose);
    raw_connection conn(server.port());
    conn.send("POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokens.secrets["all"] +
              "\r\nContent-Type: application/xml\r\nExpect: 100-continue\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
    CHECK_THAT(conn.answer(), Catch::StartsWith("HTTP/1.1 100 Continue"));
    conn.send(body);
    const std::string answer = conn.answer();
    CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 200"));
    CHECK_THAT(answer, Catch::Contains("\"status\":\"compliant\""));
}

namespace {

// The JSON without the fields that name files (the service stores uploads under names of its own).
nlohmann::json without_file_names(nlohmann::json j) {
    if (j.is_object()) {
        for (const char* k : {"file", "inputs", "generator"}) j.erase(k);
        for (auto& [k, v] : j.items()) v = without_file_names(v);
    } else if (j.is_array()) {
        for (auto& v : j) v = without_file_names(v);
    }
    return j;
}

std::vector<fs::path> caseload(const std::string& setting) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(std::string(CASEDOC_SOURCE_DIR) + "/plugins/" + setting + "/samples/caseload"))
        if (e.path().extension() == ".xml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Polls the job until it is no longer queued or running (at most 120 s).
nlohmann::json wait_for_job(httplib::Client& c, const std::string& url, const std::string& secret) {
    for (int i = 0; i < 1200; ++i) {
        const auto r = c.Get(url.c_str(), bearer(secret));
        REQUIRE(r);
        REQUIRE(r->status == 200);
        auto j = nlohmann::json::parse(r->body);
        if (j["state"] != "queued" && j["state"] != "running") return j;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the audit job did not end");
    return {};
}

bool holds_a_job(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().size() == 32) return true;
    return false;
}

} // namespace

TEST_CASE("POST /v1/audit runs the audit as a job: 202, progress, the reports of casedoc audit, then deleted",
          "[serve][audit]") {
    tokens_file tokens{{{"cw", "--settings child_welfare --scopes audit"},
                        {"other", "--settings child_welfare --scopes audit"},
                        {"validate_only", "--settings '*' --scopes validate"}}};
    temp_dir jobs;
    server_process server(tokens.file, "--jobs-dir " + quote(jobs.path.string()) + " --job-ttl 3");
    auto client = server.client();
    const auto files = caseload("child_welfare");
    httplib::MultipartFormDataItems upload;
    std::string list;
    for (const auto& f : files) {
        upload.push_back({"records", read_file(f), f.filename().string(), "application/xml"});
        list += " " + quote(f.string());
    }
    const std::string period = "2025-07-01..2025-12-31";
    auto r = client.Post(("/v1/audit?period=" + period + "&sample=random&size=10&seed=7").c_str(),
                         bearer(tokens.secrets["cw"]), upload);
    REQUIRE(r);
    REQUIRE(r->status == 202);
    const auto started = nlohmann::json::parse(r->body);
    const std::string url = started["url"];
    CHECK(r->get_header_value("Location") == url);
    CHECK(started["records"] == files.size());

    // Only the token that started it sees it.
    r = client.Get(url.c_str(), bearer(tokens.secrets["other"]));
    REQUIRE(r);
    CHECK(r->status == 404);

    const auto done = wait_for_job(client, url, tokens.secrets["cw"]);
    REQUIRE(done["state"] == "done");
    CHECK(done["total"] == 10);
    CHECK(done["done"] == 10);
    CHECK(done["not_checked"].empty());
    // The uploaded records are gone as soon as the audit is done; the reports stay until the job expires.
    const fs::path job_dir = jobs.path / started["job"].get<std::string>();
    CHECK_FALSE(fs::exists(job_dir / "records"));
    CHECK((fs::status(job_dir).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

    // The same reports as casedoc audit of the same records (the file names aside).
    temp_dir out;
    const auto cli = casedoc("audit" + list + " --period " + period + " --sample random --size 10 --seed 7 -o " +
                             quote(out.path.string()));
    REQUIRE(cli.status == 0);
    r = client.Get(done["reports"]["json"].get<std::string>().c_str(), bearer(tokens.secrets["cw"]));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(without_file_names(nlohmann::json::parse(r->body)) ==
          without_file_names(nlohmann::json::parse(read_file(out.path / "audit.json"))));
    r = client.Get(done["reports"]["pdf"].get<std::string>().c_str(), bearer(tokens.secrets["cw"]));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/pdf");
    CHECK(r->body.rfind("%PDF-", 0) == 0);
    r = client.Get(done["reports"]["csv"].get<std::string>().c_str(), bearer(tokens.secrets["cw"]));
    REQUIRE(r);
    CHECK(r->status == 200);
    const std::string cli_csv = read_file(out.path / "audit.csv");
    CHECK(std::count(r->body.begin(), r->body.end(), '\n') == std::count(cli_csv.begin(), cli_csv.end(), '\n'));

    // Expired after --job-ttl: 404, and nothing of it on disk.
    std::this_thread::sleep_for(std::chrono::seconds(5));
    r = client.Get(url.c_str(), bearer(tokens.secrets["cw"]));
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK_FALSE(fs::exists(job_dir));

    // DELETE removes a job at once.
    r = client.Post(("/v1/audit?period=" + period).c_str(), bearer(tokens.secrets["cw"]), upload);
    REQUIRE(r);
    REQUIRE(r->status == 202);
    const std::string second = nlohmann::json::parse(r->body)["url"];
    wait_for_job(client, second, tokens.secrets["cw"]);
    r = client.Delete(second.c_str(), bearer(tokens.secrets["cw"]));
    REQUIRE(r);
    CHECK(r->status == 204);
    r = client.Get(second.c_str(), bearer(tokens.secrets["cw"]));
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK_FALSE(holds_a_job(jobs.path));

    // Refused: no audit scope, another setting, no period.
    r = client.Post(("/v1/audit?period=" + period).c_str(), bearer(tokens.secrets["validate_only"]), upload);
    REQUIRE(r);
    CHECK(r->status == 403);
    r = client.Post("/v1/audit", bearer(tokens.secrets["cw"]), upload);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK_THAT(r->body, Catch::Contains("period"));
    const auto hospital = caseload("hospital");
    r = client.Post(("/v1/audit?period=" + period).c_str(), bearer(tokens.secrets["cw"]), read_file(hospital.front()),
                    "application/xml");
    REQUIRE(r);
    CHECK(r->status == 403);
}

TEST_CASE("a stopped service leaves no audit job's files behind", "[serve][audit]") {
    tokens_file tokens{{{"cw", "--settings child_welfare --scopes audit"}}};
    temp_dir jobs;
    {
        server_process server(tokens.file, "--jobs-dir " + quote(jobs.path.string()));
        auto client = server.client();
        const auto files = caseload("child_welfare");
        const auto r = client.Post("/v1/audit?period=2025-07-01..2025-12-31", bearer(tokens.secrets["cw"]),
                                   read_file(files.front()), "application/xml");
        REQUIRE(r);
        REQUIRE(r->status == 202);
        wait_for_job(client, nlohmann::json::parse(r->body)["url"], tokens.secrets["cw"]);
        CHECK(holds_a_job(jobs.path));
        CHECK(server.stop() == 0);
    }
    CHECK_FALSE(holds_a_job(jobs.path));
    // A job directory left by a service killed with -9 is deleted when the service starts again.
    fs::create_directories(jobs.path / "0123456789abcdef0123456789abcdef" / "records");
    std::ofstream(jobs.path / "0123456789abcdef0123456789abcdef" / "records" / "a.xml") << "<x/>";
    std::ofstream(jobs.path / "keep-me.txt") << "not a job";
    server_process again(tokens.file, "--jobs-dir " + quote(jobs.path.string()));
    CHECK_FALSE(holds_a_job(jobs.path));
    CHECK(fs::exists(jobs.path / "keep-me.txt"));
}

TEST_CASE("the Python example of docs/service.md checks records against a real service", "[serve][example]") {
    tokens_file tokens{{{"intake", "--settings child_welfare --scopes validate"}}};
    server_process server(tokens.file);
    // The example is the ```python block of the doc, run as it is.
    const std::string doc = read_file(std::string(CASEDOC_SOURCE_DIR) + "/docs/service.md");
    const size_t start = doc.find("```python\n");
    REQUIRE(start != std::string::npos);
    const size_t end = doc.find("\n```\n", start);
    temp_dir dir;
    const fs::path script = dir.path / "check_record.py";
    std::ofstream(script) << doc.substr(start + 10, end - start - 10) << '\n';
    const std::string env = "CASEDOC_URL=http://127.0.0.1:" + std::to_string(server.port()) +
                            " CASEDOC_TOKEN=" + tokens.secrets["intake"] + " python3 " + quote(script.string()) + " ";
    auto r = shell(env + quote(late_plan));
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("error CW-W4 (45 CFR 1356.21(g)(2)") && Catch::Contains(": not-compliant"));
    r = shell(env + quote(jose));
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::EndsWith(": compliant\n"));
    r = shell(env + quote(malformed));
    CHECK(r.status == 2);
    CHECK_THAT(r.out, Catch::Contains("malformed.xml:") && Catch::Contains("not checked"));
}
