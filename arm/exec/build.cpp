// Assembles Thumb-2 text / links objects into a loadable Image (binutils + ELF loader).
#include "arm/exec/elf_load.h"
#include "arm/exec/exec.h"
#include "arm/exec/process.h"
#include "arm/target/runtime.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

namespace vcr::exec {
namespace {

/// Split a flag string on blanks.
std::vector<std::string> splitFlags(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// Replace every occurrence of `from` in `s` by `to` (temp-dir paths in tool messages).
std::string replaceAll(std::string s, const std::string &from, const std::string &to) {
  if (from.empty()) return s;
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

/// Run a tool; on failure put its message (temp paths shortened) into `error`.
bool runStep(const std::vector<std::string> &argv, const TempDir &dir, std::string &error) {
  ToolResult r = runTool(argv, dir.path());
  if (!r.ok) error = replaceAll(r.output, dir.path() + "/", "");
  return r.ok;
}

/// Assemble `text` (saved as `name`.s) into `name`.o.
bool assemble(std::string_view text, const std::string &name, const BuildOptions &opts,
              const TempDir &dir, std::string &error) {
  const std::string src = dir.path() + "/" + name + ".s", obj = dir.path() + "/" + name + ".o";
  std::string body(text);
  if (!body.empty() && body.back() != '\n') body += '\n';
  // as does not derive the build attribute from -mfloat-abi=hard; without it
  // ld refuses the hard-float libgcc members compiled from C (_udivmoddi4.o,
  // _fixsfdi.o, ...: "uses VFP register arguments, image.elf does not").
  if (!arm::softFloat(opts.cpu)) body += "\t.eabi_attribute Tag_ABI_VFP_args, 1\n";
  if (!writeFile(src, body)) {
    error = fmt::format("cannot write {}", src);
    return false;
  }
  std::vector<std::string> argv{opts.toolPrefix + "as"};
  for (std::string &f : splitFlags(arm::rt::kAsFlags)) argv.push_back(std::move(f));
  if (!arm::softFloat(opts.cpu))  // cortex-m4 keeps exactly rt::kAsFlags
    for (std::string &f : splitFlags(arm::cpuFlags(opts.cpu))) argv.push_back(std::move(f));
  for (const std::string &f : opts.extraAsFlags) argv.push_back(f);
  argv.insert(argv.end(), {"-o", obj, src});
  return runStep(argv, dir, error);
}

/// Assembly text of one host stub per import: `bx lr; nop`, hooked at run time.
std::string stubAssembly(const std::vector<mir::Import> &imports) {
  std::string s = ".syntax unified\n.thumb\n.section .vcr_stubs,\"ax\",%progbits\n.balign 4\n";
  for (const mir::Import &imp : imports) {
    const std::string sym = arm::rt::importSymbol(imp.name);
    s += fmt::format(".global {0}\n.type {0}, %function\n{0}:\n  bx lr\n  nop\n.size {0}, 4\n", sym);
  }
  return s;
}

/// The linker script: everything contiguous from textBase, stubs after .text.
std::string linkerScript(uint32_t textBase) {
  return fmt::format(R"(ENTRY(__vcr_text_begin)
SECTIONS
{{
  . = 0x{:x};
  __vcr_text_begin = .;
  .text : {{ *(.text .text.* .glue_7 .glue_7t .vfp11_veneer .v4_bx) }}
  .vcr_stubs ALIGN(4) : {{ __vcr_stubs_begin = .; KEEP(*(.vcr_stubs)) __vcr_stubs_end = .; }}
  .rodata ALIGN(4) : {{ *(.rodata .rodata.*) }}
  .ARM.extab : {{ *(.ARM.extab .ARM.extab.*) }}
  .ARM.exidx ALIGN(4) : {{ *(.ARM.exidx .ARM.exidx.*) }}
  .data ALIGN(4) : {{ *(.data .data.*) }}
  .bss ALIGN(4) : {{ *(.bss .bss.* COMMON) }}
  /DISCARD/ : {{ *(.comment) *(.note .note.*) }}
}}
)",
                     textBase);
}

/// Check the imports: distinct names, at most one result each.
bool checkImports(const std::vector<mir::Import> &imports, std::string &error) {
  std::set<std::string> seen;
  for (const mir::Import &imp : imports) {
    if (imp.name.empty()) {
      error = "import with an empty name";
      return false;
    }
    if (!seen.insert(imp.name).second) {
      error = fmt::format("import '{}' is listed twice", imp.name);
      return false;
    }
  }
  return true;
}

/// Link `objects` (plus the stub object when there are imports) and load the result.
BuildResult linkAndLoad(std::vector<std::string> objects, const BuildOptions &opts,
                        TempDir &dir) {
  BuildResult res;
  if (!opts.imports.empty()) {
    if (!assemble(stubAssembly(opts.imports), "vcr_stubs", opts, dir, res.error)) {
      res.error = "assembling the import stubs failed: " + res.error;
      return res;
    }
    objects.push_back(dir.path() + "/vcr_stubs.o");
  }
  const std::string script = dir.path() + "/link.ld", elf = dir.path() + "/image.elf";
  if (!writeFile(script, linkerScript(opts.textBase))) {
    res.error = fmt::format("cannot write {}", script);
    return res;
  }
  std::vector<std::string> argv{opts.toolPrefix + "ld", "--no-warn-rwx-segments", "-T", script,
                                "-o", elf};
  argv.insert(argv.end(), objects.begin(), objects.end());
  argv.insert(argv.end(), opts.libraries.begin(), opts.libraries.end());
  if (!runStep(argv, dir, res.error)) return res;

  std::vector<uint8_t> file;
  detail::ElfImage elfImg;
  if (!readFile(elf, file)) {
    res.error = "cannot read the linked image";
    return res;
  }
  if (!detail::loadElf(file, elfImg, res.error)) {
    res.error = "linked image: " + res.error;
    return res;
  }
  Image &img = res.image;
  img.bytes = std::move(elfImg.bytes);
  img.base = elfImg.base;
  img.imports = opts.imports;
  img.cpu = opts.cpu;
  const auto symAt = [&](const std::string &n) -> uint32_t {
    auto it = elfImg.symbols.find(n);
    return it == elfImg.symbols.end() ? 0 : it->second.value;
  };
  img.stubBegin = symAt("__vcr_stubs_begin");
  img.stubEnd = symAt("__vcr_stubs_end");
  for (size_t i = 0; i < opts.imports.size(); ++i) {
    const std::string sym = arm::rt::importSymbol(opts.imports[i].name);
    auto it = elfImg.symbols.find(sym);
    if (it == elfImg.symbols.end()) {
      res.error = fmt::format("stub symbol {} missing from the linked image", sym);
      return res;
    }
    img.stubs[it->second.value & ~1u] = i;
  }
  std::map<std::string, OriginRange> marks;  // origin marks by key
  for (const auto &[name, s] : elfImg.symbols)
    if (auto mk = arm::rt::parseOriginMark(name)) {
      OriginRange &r = marks[mk->key];
      (mk->begin ? r.begin : r.end) = s.value & ~1u;
      if (mk->begin) r.origin = static_cast<uint8_t>(mk->origin);
    }
  for (const auto &[key, r] : marks)
    if (r.end > r.begin && r.begin && r.origin < kOriginSlots) img.originRanges.push_back(r);
  for (const auto &[name, s] : elfImg.symbols) {
    const uint32_t addr = s.value & ~1u;
    if (s.function && name.starts_with("__vcr_fp_")) img.fpRoutines[name] = addr;
    if (!s.function || name.starts_with("__vcr_")) continue;
    if (addr >= img.stubBegin && addr < img.stubEnd) continue;
    img.symbols[name] = addr;
    img.sizes[name] = s.size;
  }
  res.ok = true;
  return res;
}

/// Common prologue of both entry points: imports checked, temp dir made.
bool prepare(const BuildOptions &opts, TempDir &dir, BuildResult &res) {
  if (!checkImports(opts.imports, res.error)) return false;
  if (!dir.ok()) {
    res.error = dir.error();
    return false;
  }
  if (opts.keepTemps) {
    dir.keep();
    res.tempDir = dir.path();
  }
  return true;
}

}  // namespace

namespace {
/// Ask arm-none-eabi-gcc for the libgcc of `cpu`; "" if it cannot tell.
std::string askLibgcc(arm::Cpu cpu) {
  TempDir dir;
  if (!dir.ok()) return std::string();
  std::vector<std::string> argv{"arm-none-eabi-gcc"};
  for (std::string &f : splitFlags(arm::cpuFlags(cpu))) argv.push_back(std::move(f));
  argv.insert(argv.end(), {"-mthumb", "-print-libgcc-file-name"});
  ToolResult r = runTool(argv, dir.path());
  if (!r.ok) return std::string();
  std::string lib = r.output.substr(0, r.output.find('\n'));
  std::vector<uint8_t> probe;
  return readFile(lib, probe) ? lib : std::string();
}
}  // namespace

const std::string &softFloatLibgcc() { return libgccFor(arm::Cpu::CortexM4); }

const std::string &libgccFor(arm::Cpu cpu) {
  switch (cpu) {
  case arm::Cpu::CortexM4F: {
    static const std::string path = askLibgcc(arm::Cpu::CortexM4F);
    return path;
  }
  case arm::Cpu::CortexM7: {
    static const std::string path = askLibgcc(arm::Cpu::CortexM7);
    return path;
  }
  case arm::Cpu::CortexM4: break;
  }
  static const std::string path = askLibgcc(arm::Cpu::CortexM4);
  return path;
}

uint32_t Image::find(std::string_view name) const {
  // The module's function first: a wasm function may be named like a
  // runtime routine (`__divsf3`, exported by compiler-rt builds), and the
  // linked libgcc defines that symbol too.
  if (auto it = symbols.find(arm::rt::functionSymbol(name)); it != symbols.end())
    return it->second;
  if (auto it = symbols.find(std::string(name)); it != symbols.end()) return it->second;
  return 0;
}

BuildResult buildImage(std::string_view asmText, const BuildOptions &opts) {
  BuildResult res;
  TempDir dir;
  if (!prepare(opts, dir, res)) return res;
  if (!assemble(asmText, "input", opts, dir, res.error)) return res;
  BuildResult linked = linkAndLoad({dir.path() + "/input.o"}, opts, dir);
  linked.tempDir = res.tempDir;
  return linked;
}

BuildResult buildImageFromObject(const std::string &objectPath, const BuildOptions &opts) {
  BuildResult res;
  TempDir dir;
  if (!prepare(opts, dir, res)) return res;
  std::vector<uint8_t> probe;
  if (!readFile(objectPath, probe)) {
    res.error = fmt::format("cannot read object file '{}'", objectPath);
    return res;
  }
  BuildResult linked = linkAndLoad({objectPath}, opts, dir);
  linked.tempDir = res.tempDir;
  return linked;
}

}  // namespace vcr::exec
