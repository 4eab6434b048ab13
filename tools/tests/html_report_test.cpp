// The HTML report generator: escaping of hostile names and texts, one page per function, counterexamples.
#include "tools/html_detail.h"
#include "tools/html_report.h"
#include "tools/pipeline.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace vcr::tools;

namespace {

fs::path freshDir(const std::string &name) {
  fs::path d = fs::temp_directory_path() / ("vcr-html-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count(const std::string &hay, const std::string &needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

const std::string kHostile = "<script>alert('x')</script>";

/// A report by hand: two inputs with a function of one hostile name each,
/// and hostile texts in every artifact.
Report hostileReport() {
  Report rep;
  for (const char *file : {"a<b>.wat", "c&d.wat"}) {
    FunctionReport f;
    f.file = file;
    f.function = kHostile;
    f.reason = "<img src=x onerror=alert(1)>";
    f.artifacts = std::make_shared<Artifacts>();
    f.artifacts->vregMir = "func @" + kHostile + "() {\nbb0:\n  ret\n}\n";
    f.artifacts->allocatedMir = f.artifacts->vregMir;
    f.artifacts->asmText = "@ " + kHostile + "\n";
    f.artifacts->obligations.push_back({{"id", kHostile + ".frame"}, {"kind", "frame"}, {"block", -1},
                                        {"status", "proved"}, {"method", "syntactic"},
                                        {"solver_time_us", 0}});
    rep.functions.push_back(f);
  }
  return rep;
}

}  // namespace

TEST_CASE("htmlEscape replaces every special character") {
  CHECK(htmlEscape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  CHECK(htmlEscape("plain v0 = 0x5") == "plain v0 = 0x5");
}

TEST_CASE("html report escapes hostile names and writes one page per function") {
  const Report rep = hostileReport();
  const fs::path dir = freshDir("hostile");
  HtmlOptions opt;
  opt.dotTool = "";
  std::string error;
  REQUIRE(writeHtmlReport(rep, dir.string(), opt, error));
  CHECK(error.empty());
  const std::vector<std::string> pages = htmlPageNames(rep);
  REQUIRE(pages.size() == 2);
  CHECK(pages[0] != pages[1]);
  size_t html = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    const std::string text = slurp(entry.path());
    if (entry.path().extension() != ".html") continue;
    ++html;
    INFO(entry.path().string());
    CHECK(text.find(kHostile) == std::string::npos);
    CHECK(text.find("<img src=x") == std::string::npos);
    CHECK(text.find("a<b>") == std::string::npos);
  }
  CHECK(html == 3);  // index + one page per function
  const std::string index = slurp(dir / "index.html");
  CHECK(count(index, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") == 2);
  CHECK(count(index, "<tr id=\"row") == 2);
  CHECK(index.find("a&lt;b&gt;.wat") != std::string::npos);
  for (const auto &p : pages) {
    CHECK(fs::is_regular_file(dir / p));
    CHECK(index.find("href=\"" + p + "\"") != std::string::npos);
  }
  const std::string page = slurp(dir / pages[1]);
  CHECK(page.find("c&amp;d.wat") != std::string::npos);
  CHECK(page.find("@ &lt;script&gt;") != std::string::npos);  // the listing
  fs::remove_all(dir);
}

TEST_CASE("html report shows a refuted function's counterexample with the trail highlighted") {
  PipelineOptions opt;
  opt.keepArtifacts = true;
  const std::string regress = std::string(VCR_SOURCE_DIR) + "/verifier/tests/regress/";
  opt.allocatedFile = regress + "trap_hides_store.alloc.mir";
  const Report rep = runPipeline({regress + "trap_hides_store.vreg.mir"}, opt);
  REQUIRE(rep.functions.size() == 1);
  REQUIRE(rep.functions[0].status == "refuted");
  const fs::path dir = freshDir("refuted");
  HtmlOptions html;
  html.dotTool = "no-such-graphviz-tool";
  std::string error;
  REQUIRE(writeHtmlReport(rep, dir.string(), html, error));
  const std::string page = slurp(dir / htmlPageNames(rep)[0]);
  CHECK(page.find("class=\"cex\"") != std::string::npos);
  CHECK(page.find("Diverges at") != std::string::npos);
  CHECK(page.find("f.bb0.ret") != std::string::npos);
  CHECK(page.find("<td class=\"st-refuted\">refuted</td>") != std::string::npos);
  // every obligation is listed, proved ones too
  CHECK(count(page, "<td class=\"st-proved\">proved</td>") == rep.functions[0].check->proved);
  // the trail: allocated lines numbered in trail order, the divergence marked
  CHECK(page.find("<span class=\"tn\">#1</span>  param r0, r1, r2") != std::string::npos);
  CHECK(page.find("<span class=\"tn\">#7</span>  ret r0") != std::string::npos);
  CHECK(page.find("l blk hit bad") != std::string::npos);
  // the vreg side highlights the definitions the trail gives values
  CHECK(page.find("load.32 v4, [v2+0]<span class=\"tv\">; v4 = ") != std::string::npos);
  // both MIR texts side by side
  CHECK(page.find("vreg MIR (original)") != std::string::npos);
  CHECK(page.find("store.32 v1, [v3+0]") != std::string::npos);
  CHECK(page.find("store.32 r0, [r3+0]") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("html report says so when Graphviz is missing") {
  PipelineOptions opt;
  opt.keepArtifacts = true;
  const Report rep = runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/simple.wat"}, opt);
  REQUIRE(!rep.functions.empty());
  REQUIRE(rep.functions[0].artifacts);
  REQUIRE(!rep.functions[0].artifacts->dot.empty());
  const fs::path dir = freshDir("nodot");
  HtmlOptions html;
  html.dotTool = "no-such-graphviz-tool";
  std::string error;
  REQUIRE(writeHtmlReport(rep, dir.string(), html, error));
  const std::string page = slurp(dir / htmlPageNames(rep)[0]);
  CHECK(page.find("Graphviz &#39;no-such-graphviz-tool&#39; not found") != std::string::npos);
  CHECK(fs::is_regular_file(dir / (htmlPageNames(rep)[0].substr(0, 5) + "-" + rep.functions[0].function + ".dot")));
  fs::remove_all(dir);
}

TEST_CASE("html report fails cleanly when the directory cannot be made") {
  const fs::path dir = freshDir("blocked");
  std::ofstream(dir.string()) << "a file, not a directory";
  std::string error;
  CHECK_FALSE(writeHtmlReport(hostileReport(), (dir / "sub").string(), HtmlOptions{}, error));
  CHECK(error.find("cannot create directory") != std::string::npos);
  fs::remove(dir);
}

TEST_CASE("verify-alloc --html exits 2 with a message when the site cannot be written") {
  const fs::path blocker = freshDir("cli-blocked");
  std::ofstream(blocker.string()) << "a file, not a directory";
  const fs::path out = blocker.string() + ".out";
  const std::string cmd = std::string("'") + VERIFY_ALLOC + "' -q '" + VCR_SOURCE_DIR +
                          "/corpus/fixtures/simple.wat' --html '" + (blocker / "site").string() + "' 2>'" +
                          out.string() + "'";
  const int rc = std::system(cmd.c_str());
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 2);
  CHECK(slurp(out).find("verify-alloc: --html: cannot create directory") != std::string::npos);
  fs::remove(blocker);
  fs::remove(out);
}

TEST_CASE("html MIR panes of a large function show the counterexample's block") {
  std::string text = "func @big() {\n";
  for (int b = 0; b < 100; ++b) text += "bb" + std::to_string(b) + ":\n  movi v" + std::to_string(b) + ", #1\n  br bb" + std::to_string(b + 1) + "\n";
  text += "}\n";
  const nlohmann::json cex = {{"trail", {"movi v50, #1    ; v50 = 0x1", "br bb51"}}, {"location", "r0"}};
  const std::string html = vcr::tools::html::mirSideBySide("vreg", text, "alloc", text, &cex, 50);
  CHECK(html.find(">bb50:<") != std::string::npos);
  CHECK(html.find("  movi v50, #1") != std::string::npos);
  CHECK(html.find("bb10:") == std::string::npos);
  CHECK(html.find("(lines 1-") != std::string::npos);
  CHECK(html.find("<span class=\"tn\">#2</span>  br bb51") != std::string::npos);
  // small texts are shown whole
  const std::string whole = vcr::tools::html::mirSideBySide("a", "bb0:\n  ret\n", "b", "bb0:\n  ret\n");
  CHECK(whole.find("not shown") == std::string::npos);
}
