// verify-alloc --html end to end in headless Chromium: the DOM has every row and a counterexample, a screenshot is not blank.
#include "tests/tool_guard.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Exit status of a shell command.
int sh(const std::string &cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// Headless Chromium on a page: its DOM after scripts ran (or a screenshot).
/// Root needs --no-sandbox; stderr (dbus noise) is dropped.
std::string chromium(const fs::path &profile, const std::string &args, const fs::path &page) {
  const fs::path out = profile.parent_path() / "dom.html";
  const std::string cmd = "timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run "
                          "--user-data-dir='" + profile.string() + "' " + args + " 'file://" +
                          page.string() + "' >'" + out.string() + "' 2>/dev/null";
  CHECK(sh(cmd) == 0);
  return slurp(out);
}

}  // namespace

TEST_CASE("html report in headless chromium: rows, counterexample, screenshot") {
  if (!vcr::testing::toolAvailable("chromium") || !vcr::testing::toolAvailable("dot")) return;
  const fs::path tmp = fs::temp_directory_path() / ("vcr-html-browser-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp / "in");
  const std::string src = VCR_SOURCE_DIR, tool = VERIFY_ALLOC;
  // a hostile file name must show as text
  fs::copy_file(src + "/corpus/fixtures/simple.wat", tmp / "in" / "<i>x&y.wat");
  fs::copy_file(src + "/corpus/fixtures/calls.wat", tmp / "in" / "calls.wat");
  const fs::path site = tmp / "site", refuted = tmp / "refuted";
  REQUIRE(sh("'" + tool + "' '" + (tmp / "in").string() + "' --legacy -q --json '" + (tmp / "r.json").string() +
             "' --html '" + site.string() + "'") == 0);
  const std::string regress = src + "/verifier/tests/regress/trap_hides_store";
  REQUIRE(sh("'" + tool + "' '" + regress + ".vreg.mir' --allocated '" + regress + ".alloc.mir' -q --html '" +
             refuted.string() + "'") == 1);

  {  // index: every function of the input is a table row
    const nlohmann::json rep = nlohmann::json::parse(slurp(tmp / "r.json"));
    const std::string dom = chromium(tmp / "profile", "--dump-dom", site / "index.html");
    REQUIRE(dom.find("id=\"functions\"") != std::string::npos);
    size_t rows = 0;
    for (size_t at = dom.find("<tr id=\"row"); at != std::string::npos; at = dom.find("<tr id=\"row", at + 1)) ++rows;
    CHECK(rows == rep["functions"].size());
    CHECK(rep["functions"].size() > 10);
    for (const auto &f : rep["functions"])
      CHECK(dom.find(".html\">" + f["function"].get<std::string>() + "</a>") != std::string::npos);
    CHECK(dom.find("&lt;i&gt;x&amp;y.wat") != std::string::npos);
    CHECK(dom.find("<i>x") == std::string::npos);
    CHECK(dom.find("legacy rung") != std::string::npos);
    // the sorting script: a page next to the index clicks the "vregs" header
    // twice (descending) and writes the column out
    std::ofstream(site / "sort-probe.html")
        << "<!DOCTYPE html><html><body><pre id=\"out\"></pre><iframe id=\"f\" src=\"index.html\"></iframe>"
           "<script>document.getElementById('f').addEventListener('load',function(){"
           "var d=this.contentDocument,th=d.querySelectorAll('#functions th')[5];th.click();th.click();"
           "var v=Array.prototype.map.call(d.querySelectorAll('#functions tbody tr'),"
           "function(r){return r.cells[5].textContent;});"
           "document.getElementById('out').textContent='SORTED '+th.getAttribute('aria-sort')+' '+v.join(' ')+' END';"
           "});</script></body></html>";
    const std::string probe =
        chromium(tmp / "profile", "--allow-file-access-from-files --dump-dom", site / "sort-probe.html");
    const size_t at = probe.find("SORTED descending ");
    REQUIRE(at != std::string::npos);
    std::istringstream col(probe.substr(at + 18, probe.find(" END", at) - at - 18));
    std::vector<long> vregs;
    for (long v = 0; col >> v;) vregs.push_back(v);
    CHECK(vregs.size() == rep["functions"].size());
    CHECK(std::is_sorted(vregs.rbegin(), vregs.rend()));
    CHECK(vregs.front() > vregs.back());
    // a function page: the graph drawn by Graphviz, the legacy model, the listing
    const std::string page = chromium(tmp / "profile", "--dump-dom", site / "f0001-add.html");
    CHECK(page.find("<img class=\"graph\"") != std::string::npos);
    CHECK(fs::file_size(site / "f0001-add.svg") > 100);
    CHECK(page.find("id=\"legacy\"") != std::string::npos);
    CHECK(page.find("legacy model MIR") != std::string::npos);
    CHECK(page.find("id=\"asm\"") != std::string::npos);
  }
  {  // a refuted function's page shows its counterexample
    const std::string dom = chromium(tmp / "profile", "--dump-dom", refuted / "f0001-f.html");
    CHECK(dom.find("<td class=\"st-refuted\">refuted</td>") != std::string::npos);
    CHECK(dom.find("<div class=\"cex\" id=\"cex") != std::string::npos);
    CHECK(dom.find("Diverges at <code>result word 0 in r0</code>") != std::string::npos);
    CHECK(dom.find("<ol class=\"trail\">") != std::string::npos);
    CHECK(dom.find("l blk hit bad") != std::string::npos);
    CHECK(dom.find("<h4>Inputs</h4>") != std::string::npos);
  }
  {  // a screenshot of the refuted page is not blank
    const fs::path png = tmp / "shot.png";
    chromium(tmp / "profile", "--screenshot='" + png.string() + "' --window-size=1200,900 --hide-scrollbars",
             refuted / "f0001-f.html");
    REQUIRE(fs::is_regular_file(png));
    // distinct colours and the share of the commonest one (matplotlib reads PNG)
    const std::string py = "/usr/bin/python3";
    const bool havePy = sh(py + " -c 'import matplotlib.image' 2>/dev/null") == 0;
    if (!vcr::testing::toolForExtraStep("python3 with matplotlib", havePy)) {
      fs::remove_all(tmp);
      return;
    }
    const fs::path stats = tmp / "stats.txt";
    REQUIRE(sh(py + " -c 'import sys, numpy, matplotlib.image as m\n"
                    "a = (m.imread(sys.argv[1])[:, :, :3] * 255).astype(numpy.uint8).reshape(-1, 3)\n"
                    "c, n = numpy.unique(a, axis=0, return_counts=True)\n"
                    "print(len(c), int(n.max() * 1000 // len(a)), a.shape[0])' '" +
               png.string() + "' >'" + stats.string() + "'") == 0);
    std::istringstream in(slurp(stats));
    size_t colours = 0, commonestPermille = 1000, pixels = 0;
    in >> colours >> commonestPermille >> pixels;
    INFO("colours " << colours << ", commonest " << commonestPermille << " per mille");
    CHECK(pixels == 1200u * 900u);
    CHECK(colours >= 20);
    CHECK(commonestPermille < 950);
  }
  fs::remove_all(tmp);
}
