// Reads a linked ARM ELF32 executable: PT_LOAD segments and the symbol table.
#include "arm/exec/elf_load.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <elf.h>

namespace vcr::exec::detail {
namespace {

/// Copy a T out of `file` at `off` if it fits.
template <class T>
bool readAt(const std::vector<uint8_t> &file, uint64_t off, T &out) {
  if (off > file.size() || file.size() - off < sizeof(T)) return false;
  std::memcpy(&out, file.data() + off, sizeof(T));
  return true;
}

bool loadSegments(const std::vector<uint8_t> &file, const Elf32_Ehdr &eh, ElfImage &out,
                  std::string &error) {
  std::vector<Elf32_Phdr> loads;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf32_Phdr ph;
    if (!readAt(file, uint64_t{eh.e_phoff} + uint64_t{i} * eh.e_phentsize, ph)) {
      error = fmt::format("program header {} lies outside the file", i);
      return false;
    }
    if (ph.p_type == PT_LOAD && ph.p_memsz > 0) loads.push_back(ph);
  }
  if (loads.empty()) {
    error = "no loadable segment (empty program?)";
    return false;
  }
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const Elf32_Phdr &ph : loads) {
    lo = std::min<uint64_t>(lo, ph.p_vaddr);
    hi = std::max<uint64_t>(hi, uint64_t{ph.p_vaddr} + ph.p_memsz);
  }
  if (hi > (uint64_t{1} << 32) || hi - lo > kMaxImageBytes) {
    error = fmt::format("loadable segments span 0x{:x}..0x{:x}, more than {} MiB or past 4 GiB", lo,
                        hi, kMaxImageBytes >> 20);
    return false;
  }
  out.base = static_cast<uint32_t>(lo);
  out.bytes.assign(static_cast<size_t>(hi - lo), 0);
  for (const Elf32_Phdr &ph : loads) {
    if (ph.p_filesz > ph.p_memsz || ph.p_offset > file.size() ||
        file.size() - ph.p_offset < ph.p_filesz) {
      error = fmt::format("segment at 0x{:x} has its contents outside the file", ph.p_vaddr);
      return false;
    }
    std::memcpy(out.bytes.data() + (ph.p_vaddr - lo), file.data() + ph.p_offset, ph.p_filesz);
  }
  return true;
}

bool loadSymbols(const std::vector<uint8_t> &file, const Elf32_Ehdr &eh, ElfImage &out,
                 std::string &error) {
  std::vector<Elf32_Shdr> sh(eh.e_shnum);
  for (unsigned i = 0; i < eh.e_shnum; ++i)
    if (!readAt(file, uint64_t{eh.e_shoff} + uint64_t{i} * eh.e_shentsize, sh[i])) {
      error = fmt::format("section header {} lies outside the file", i);
      return false;
    }
  for (const Elf32_Shdr &s : sh) {
    if (s.sh_type != SHT_SYMTAB) continue;
    if (s.sh_link >= sh.size() || s.sh_entsize < sizeof(Elf32_Sym)) {
      error = "malformed symbol table header";
      return false;
    }
    const Elf32_Shdr &strs = sh[s.sh_link];
    if (strs.sh_offset > file.size() || file.size() - strs.sh_offset < strs.sh_size) {
      error = "string table lies outside the file";
      return false;
    }
    const char *str = reinterpret_cast<const char *>(file.data() + strs.sh_offset);
    for (uint32_t off = 0; off + s.sh_entsize <= s.sh_size; off += s.sh_entsize) {
      Elf32_Sym sym;
      if (!readAt(file, uint64_t{s.sh_offset} + off, sym)) {
        error = "symbol table lies outside the file";
        return false;
      }
      if (sym.st_name == 0 || sym.st_name >= strs.sh_size) continue;
      const size_t maxLen = strs.sh_size - sym.st_name;
      const std::string name(str + sym.st_name, strnlen(str + sym.st_name, maxLen));
      const unsigned type = ELF32_ST_TYPE(sym.st_info);
      if (name.empty() || name[0] == '$' || type == STT_SECTION || type == STT_FILE) continue;
      ElfSymbol es{sym.st_value, sym.st_size, type == STT_FUNC};
      if (!es.function && type == STT_NOTYPE && ELF32_ST_BIND(sym.st_info) == STB_GLOBAL &&
          sym.st_shndx > SHN_UNDEF && sym.st_shndx < sh.size() &&
          (sh[sym.st_shndx].sh_flags & SHF_EXECINSTR))
        es.function = true;
      out.symbols[name] = es;
    }
  }
  return true;
}

}  // namespace

bool loadElf(const std::vector<uint8_t> &file, ElfImage &out, std::string &error) {
  Elf32_Ehdr eh;
  if (!readAt(file, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    error = "not an ELF file";
    return false;
  }
  if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
      eh.e_machine != EM_ARM) {
    error = "not a 32-bit little-endian ARM ELF file";
    return false;
  }
  if (eh.e_type != ET_EXEC) {
    error = "ELF file is not a linked executable";
    return false;
  }
  if ((eh.e_phnum && eh.e_phentsize < sizeof(Elf32_Phdr)) ||
      (eh.e_shnum && eh.e_shentsize < sizeof(Elf32_Shdr))) {
    error = "malformed ELF header (entry sizes)";
    return false;
  }
  out = ElfImage{};
  return loadSegments(file, eh, out, error) && loadSymbols(file, eh, out, error);
}

}  // namespace vcr::exec::detail
