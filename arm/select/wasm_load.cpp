// Loading .wat/.wasm input with wabt: parse, validate, convert text to binary.
#include "arm/select/wasm_load.h"

#include "arm/select/oracle_engine.h"
#include "arm/select/wasm_limits.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/error.h>
#include <wabt/ir.h>
#include <wabt/resolve-names.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace vcr::select {
namespace {

/// Convert wabt errors of a text input (line:column locations).
void addTextErrors(const wabt::Errors &errs, std::string_view file, Diagnostics &diags) {
  for (const auto &e : errs) {
    Diagnostic d;
    d.level = e.error_level == wabt::ErrorLevel::Error ? Diagnostic::Level::Error
                                                       : Diagnostic::Level::Warning;
    d.file = std::string(file);
    d.line = e.loc.line > 0 ? static_cast<uint32_t>(e.loc.line) : 0;
    d.column = e.loc.first_column > 0 ? static_cast<uint32_t>(e.loc.first_column) : 0;
    d.message = e.message;
    diags.push_back(std::move(d));
  }
}

/// Convert wabt errors of a binary input (byte offsets).
void addBinaryErrors(const wabt::Errors &errs, std::string_view file, Diagnostics &diags) {
  for (const auto &e : errs) {
    Diagnostic d;
    d.level = e.error_level == wabt::ErrorLevel::Error ? Diagnostic::Level::Error
                                                       : Diagnostic::Level::Warning;
    d.file = std::string(file);
    d.message = e.message;
    if (e.loc.offset != static_cast<size_t>(-1))
      d.message += " (at byte offset " + std::to_string(e.loc.offset) + ")";
    diags.push_back(std::move(d));
  }
}

void addError(std::string_view file, std::string message, Diagnostics &diags) {
  Diagnostic d;
  d.file = std::string(file);
  d.message = std::move(message);
  diags.push_back(std::move(d));
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<WasmBinary> checkWasmBytes(std::vector<uint8_t> bytes, std::string_view file,
                                         Diagnostics &diags) {
  wabt::Features features;
  wabt::Errors errs;
  wabt::Module module;
  wabt::ReadBinaryOptions opts(features, nullptr, /*read_debug_names=*/true,
                               /*stop_on_first_error=*/true,
                               /*fail_on_custom_section_error=*/false);
  if (auto over = checkBinaryLimits(bytes, file)) {
    diags.push_back(std::move(*over));
    return std::nullopt;
  }
  std::string fname(file);
  // The streaming validator first: wabt's IR reader aborts on some malformed input.
  if (auto problems = detail::validateStreaming(fname, bytes); !problems.empty()) {
    for (auto &p : problems) addError(file, std::move(p), diags);
    return std::nullopt;
  }
  wabt::Result r = wabt::ReadBinaryIr(fname.c_str(), bytes.data(), bytes.size(), opts, &errs, &module);
  if (wabt::Succeeded(r))
    r = wabt::ValidateModule(&module, &errs, wabt::ValidateOptions(features));
  if (wabt::Failed(r)) {
    size_t before = diags.size();
    addBinaryErrors(errs, file, diags);
    if (diags.size() == before) addError(file, "invalid wasm binary", diags);
    return std::nullopt;
  }
  return WasmBinary{std::string(file), std::move(bytes), {}};
}

namespace {

/// Pairs the instructions of a function parsed from text with the same
/// function read back from its binary, in pre-order (both hold the same
/// tree: the binary is written from the text's IR): the binary's offsets
/// with the text's line and column. False if the trees differ.
bool pairExprs(const wabt::ExprList &text, const wabt::ExprList &binary, std::vector<WatPlace> &out) {
  auto t = text.begin(), b = binary.begin();
  for (; t != text.end() && b != binary.end(); ++t, ++b) {
    if (t->type() != b->type()) return false;
    out.push_back({static_cast<uint32_t>(b->loc.offset), static_cast<uint32_t>(t->loc.line),
                   static_cast<uint32_t>(t->loc.first_column)});
    auto nested = [&](const auto *te, const auto *be) { return pairExprs(te->block.exprs, be->block.exprs, out); };
    switch (t->type()) {
    case wabt::ExprType::Block:
      if (!nested(wabt::cast<wabt::BlockExpr>(&*t), wabt::cast<wabt::BlockExpr>(&*b))) return false;
      break;
    case wabt::ExprType::Loop:
      if (!nested(wabt::cast<wabt::LoopExpr>(&*t), wabt::cast<wabt::LoopExpr>(&*b))) return false;
      break;
    case wabt::ExprType::If: {
      const auto *ti = wabt::cast<wabt::IfExpr>(&*t), *bi = wabt::cast<wabt::IfExpr>(&*b);
      if (!pairExprs(ti->true_.exprs, bi->true_.exprs, out) || !pairExprs(ti->false_, bi->false_, out)) return false;
      break;
    }
    default: break;
    }
  }
  return t == text.end() && b == binary.end();
}

/// WasmBinary::watPlaces of `bytes`, written from the text module `text`
/// (empty where a function's trees do not pair up: its messages keep the
/// byte offset).
std::vector<WatPlace> watPlacesOf(const wabt::Module &text, const std::vector<uint8_t> &bytes,
                                  const wabt::Features &features) {
  std::vector<WatPlace> out;
  wabt::Module binary;
  wabt::Errors errs;
  wabt::ReadBinaryOptions opts(features, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                               /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr("", bytes.data(), bytes.size(), opts, &errs, &binary)) ||
      binary.funcs.size() != text.funcs.size())
    return out;
  for (size_t f = 0; f < text.funcs.size(); ++f) {
    // A defined function's own place (its body's offset, where no
    // instruction starts): the declines of its signature and locals.
    if (f >= binary.num_func_imports)
      out.push_back({static_cast<uint32_t>(binary.funcs[f]->loc.offset), static_cast<uint32_t>(text.funcs[f]->loc.line),
                     static_cast<uint32_t>(text.funcs[f]->loc.first_column)});
    const size_t before = out.size();
    if (!pairExprs(text.funcs[f]->exprs, binary.funcs[f]->exprs, out)) out.resize(before);
  }
  std::sort(out.begin(), out.end(), [](const WatPlace &a, const WatPlace &b) { return a.offset < b.offset; });
  return out;
}

}  // namespace

std::optional<WasmBinary> watToWasm(std::string_view text, std::string_view file,
                                    Diagnostics &diags) {
  if (auto over = checkTextLimits(text, file)) {
    diags.push_back(std::move(*over));
    return std::nullopt;
  }
  wabt::Features features;
  // Annotations such as (@custom "name" "bytes") are read, not rejected: wabt
  // 1.0.32's parser skips them (a custom section given as an annotation is
  // dropped; neither selection nor the oracle reads custom sections).
  features.enable_annotations();
  wabt::Errors errs;
  auto lexer = wabt::WastLexer::CreateBufferLexer(file, text.data(), text.size(), &errs);
  std::unique_ptr<wabt::Module> module;
  wabt::WastParseOptions parseOpts(features);
  wabt::Result r = wabt::ParseWatModule(lexer.get(), &module, &errs, &parseOpts);
  if (wabt::Succeeded(r) && module) r = wabt::ResolveNamesModule(module.get(), &errs);
  if (wabt::Succeeded(r) && module)
    r = wabt::ValidateModule(module.get(), &errs, wabt::ValidateOptions(features));
  if (wabt::Failed(r) || !module) {
    size_t before = diags.size();
    addTextErrors(errs, file, diags);
    if (diags.size() == before) addError(file, "invalid wasm text", diags);
    return std::nullopt;
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions writeOpts(features, /*canonicalize_lebs=*/true,
                                     /*relocatable=*/false, /*write_debug_names=*/true);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), writeOpts))) {
    addError(file, "could not encode the module as a wasm binary", diags);
    return std::nullopt;
  }
  WasmBinary bin{std::string(file), std::move(stream.output_buffer().data), {}};
  // The written binary is re-read and validated, so both paths agree.
  auto checked = checkWasmBytes(std::move(bin.bytes), file, diags);
  if (checked) checked->watPlaces = watPlacesOf(*module, checked->bytes, features);
  return checked;
}

std::string WasmBinary::placeOf(size_t offset) const {
  auto it = std::lower_bound(watPlaces.begin(), watPlaces.end(), offset,
                             [](const WatPlace &p, size_t o) { return p.offset < o; });
  if (it != watPlaces.end() && it->offset == offset)
    return file + ":" + std::to_string(it->line) + ":" + std::to_string(it->column);
  return "byte offset " + std::to_string(offset);
}

std::optional<WasmBinary> loadWasmFile(const std::string &path, Diagnostics &diags) {
  // (A directory opens as a stream on Linux; reading it throws.)
  if (std::error_code ec; std::filesystem::is_directory(path, ec)) {
    addError(path, "is a directory, not a .wat or .wasm file", diags);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    addError(path, "cannot open file", diags);
    return std::nullopt;
  }
  std::vector<uint8_t> bytes;
  try {
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure &) {
    in.setstate(std::ios::badbit);
  }
  if (in.bad()) {
    addError(path, "cannot read file", diags);
    return std::nullopt;
  }
  bool binary = endsWith(path, ".wasm");
  if (!endsWith(path, ".wasm") && !endsWith(path, ".wat"))
    binary = bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm';
  if (binary) return checkWasmBytes(std::move(bytes), path, diags);
  std::string text(bytes.begin(), bytes.end());
  return watToWasm(text, path, diags);
}

}  // namespace vcr::select
