// Emitter test helpers: parsing, emitting, body extraction and running the GNU assembler.
#include "arm/emit/tests/emit_util.h"

#include "arm/target/runtime.h"
#include "core/ir/text.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace vcr::emit::test {

mir::Module parse(std::string_view text) {
  mir::ParseResult r = mir::parseModule(text, "test.mir");
  std::string msg;
  for (const auto &d : r.diags) msg += d.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), msg);
  return *r.module;
}

EmitResult emitText(std::string_view text, const EmitOptions &opts) {
  return emitModule(parse(text), opts);
}

std::string bodyOf(const std::string &asmText, std::string_view name) {
  const std::string sym = arm::rt::functionSymbol(name);
  std::istringstream in(asmText);
  std::string ln, out;
  bool inside = false;
  while (std::getline(in, ln)) {
    if (ln == sym + ":") {
      inside = true;
      continue;
    }
    if (!inside) continue;
    std::istringstream ws(ln);
    std::string w, norm;
    ws >> w;
    if (w == ".size") break;
    norm = w;
    std::string rest;
    std::getline(ws, rest);
    const size_t b = rest.find_first_not_of(" \t");
    if (b != std::string::npos) norm += " " + rest.substr(b);
    if (!norm.empty()) out += norm + "\n";
  }
  return out;
}

namespace {

std::string readFile(const std::filesystem::path &p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

AsResult assemble(const std::string &asmText, bool objdump) {
  static std::atomic<unsigned> counter{0};
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() /
                       ("vcr-emit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  const fs::path s = dir / "m.s", o = dir / "m.o", log = dir / "log.txt";
  {
    std::ofstream f(s);
    f << asmText;
  }
  std::string cmd = "arm-none-eabi-as " + std::string(arm::rt::kAsFlags) + " -o '" + o.string() +
                    "' '" + s.string() + "' > '" + log.string() + "' 2>&1";
  AsResult r;
  r.ok = std::system(cmd.c_str()) == 0;
  r.output = readFile(log);
  if (r.ok && r.output.find("Warning") != std::string::npos) r.ok = false;  // warnings are defects too
  if (r.ok && objdump) {
    cmd = "arm-none-eabi-objdump -d '" + o.string() + "' > '" + log.string() + "' 2>&1";
    r.ok = std::system(cmd.c_str()) == 0;
    r.output = readFile(log);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return r;
}

bool haveAssembler() {
  static const bool have = std::system("arm-none-eabi-as --version > /dev/null 2>&1") == 0;
  return have;
}

std::vector<std::filesystem::path> corpusFiles() {
  namespace fs = std::filesystem;
  std::vector<fs::path> paths;
  for (const auto &e : fs::recursive_directory_iterator(fs::path(VCR_SOURCE_DIR) / "corpus"))
    if (e.is_regular_file() && (e.path().extension() == ".wat" || e.path().extension() == ".wasm") &&
        e.path().string().find("/tests/") == std::string::npos)
      paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace vcr::emit::test
