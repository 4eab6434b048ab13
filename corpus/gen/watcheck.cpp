// wabt-based checker of wasm modules: parse, validate, and find constructs
// outside the supported scalar MVP subset (i32, i64, f32, f64; no SIMD,
// ...). Multi-value, memory.grow, bulk memory, data segments, one funcref
// table with constant active element segments, and call_indirect through it
// are in.

#include "corpus/gen/watcheck.h"

#include <fstream>
#include <iterator>
#include <memory>

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/error-formatter.h>
#include <wabt/ir.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

namespace vcr::gen {

namespace {

/// A scalar value type of the subset: i32, i64, f32 or f64 (floats are
/// selected on every CPU; on cortex-m4 they become runtime calls).
bool isInt(wabt::Type t) {
  return t == wabt::Type::I32 || t == wabt::Type::I64 || t == wabt::Type::F32 || t == wabt::Type::F64;
}
bool isIntOrVoid(wabt::Type t) { return isInt(t) || t == wabt::Type::Void || t == wabt::Type::Any; }

class SubsetChecker {
public:
  SubsetChecker(const std::string &file, std::vector<std::string> &errors) : file_(file), errors_(errors) {}

  void module(const wabt::Module &m) {
    for (const wabt::Import *imp : m.imports)
      if (imp->kind() != wabt::ExternalKind::Func)
        error("", "import " + imp->module_name + "." + imp->field_name + " is not a function import");
    // one funcref table, filled by active segments at constant offsets with
    // ref.func / ref.null entries (arm/select/select_table.cpp takes these)
    if (m.tables.size() > 1)
      error("", "more than one table");
    for (const wabt::Table *t : m.tables)
      if (t->elem_type != wabt::Type::FuncRef)
        error("", "table " + t->name + " is not a funcref table");
    for (const wabt::ElemSegment *seg : m.elem_segments) {
      if (seg->kind != wabt::SegmentKind::Active)
        error("", "element segment " + seg->name + " is not active");
      if (seg->offset.size() != 1 || seg->offset.front().type() != wabt::ExprType::Const)
        error("", "element segment " + seg->name + " has no constant offset");
      for (const wabt::ExprList &entry : seg->elem_exprs)
        if (entry.size() != 1 || (entry.front().type() != wabt::ExprType::RefFunc &&
                                  entry.front().type() != wabt::ExprType::RefNull))
          error("", "element segment " + seg->name + " has an entry other than ref.func or ref.null");
    }
    // data segments are in (memory.init / data.drop read the passive ones)
    if (m.memories.size() > 1)
      error("", "more than one memory");
    for (const wabt::Global *g : m.globals)
      if (!isInt(g->type))
        error("", "global " + g->name + " is not i32/i64/f32/f64");
    for (size_t i = 0; i < m.funcs.size(); ++i) {
      const wabt::Func &f = *m.funcs[i];
      fn_ = f.name.empty() ? "#" + std::to_string(i) : f.name;
      for (wabt::Index p = 0; p < f.GetNumParams(); ++p)
        if (!isInt(f.GetParamType(p)))
          error(fn_, "a param is not i32/i64/f32/f64");
      for (wabt::Index r = 0; r < f.GetNumResults(); ++r)
        if (!isInt(f.GetResultType(r)))
          error(fn_, "the result is not i32/i64/f32/f64");
      for (wabt::Type t : f.local_types)
        if (!isInt(t))
          error(fn_, "a local is not i32/i64/f32/f64");
      exprs(f.exprs);
    }
  }

private:
  void error(const std::string &fn, const std::string &msg) {
    errors_.push_back(file_ + ": " + (fn.empty() ? "" : "function " + fn + ": ") + msg);
  }

  void opcode(wabt::Opcode op) {
    if (!isIntOrVoid(op.GetResultType()) || !isIntOrVoid(op.GetParamType1()) ||
        !isIntOrVoid(op.GetParamType2()))
      error(fn_, std::string(op.GetName()) + " is outside the scalar subset");
  }

  void block(const wabt::Block &b) {
    for (wabt::Index p = 0; p < b.decl.GetNumParams(); ++p)
      if (!isInt(b.decl.GetParamType(p)))
        error(fn_, "a block parameter is not i32/i64/f32/f64");
    for (wabt::Index r = 0; r < b.decl.GetNumResults(); ++r)
      if (!isInt(b.decl.GetResultType(r)))
        error(fn_, "a block result is not i32/i64/f32/f64");
    exprs(b.exprs);
  }

  void exprs(const wabt::ExprList &list) {
    using wabt::ExprType;
    for (const wabt::Expr &e : list) {
      switch (e.type()) {
      case ExprType::Binary: opcode(wabt::cast<wabt::BinaryExpr>(&e)->opcode); break;
      case ExprType::Compare: opcode(wabt::cast<wabt::CompareExpr>(&e)->opcode); break;
      case ExprType::Convert: opcode(wabt::cast<wabt::ConvertExpr>(&e)->opcode); break;
      case ExprType::Unary: opcode(wabt::cast<wabt::UnaryExpr>(&e)->opcode); break;
      case ExprType::Load: opcode(wabt::cast<wabt::LoadExpr>(&e)->opcode); break;
      case ExprType::Store: opcode(wabt::cast<wabt::StoreExpr>(&e)->opcode); break;
      case ExprType::Const:
        if (!isInt(wabt::cast<wabt::ConstExpr>(&e)->const_.type()))
          error(fn_, "non-scalar constant");
        break;
      case ExprType::Select:
        for (wabt::Type t : wabt::cast<wabt::SelectExpr>(&e)->result_type)
          if (!isInt(t))
            error(fn_, "select of a non-scalar type");
        break;
      case ExprType::Block: block(wabt::cast<wabt::BlockExpr>(&e)->block); break;
      case ExprType::Loop: block(wabt::cast<wabt::LoopExpr>(&e)->block); break;
      case ExprType::If: {
        const auto *i = wabt::cast<wabt::IfExpr>(&e);
        block(i->true_);
        exprs(i->false_);
        break;
      }
      case ExprType::Br: case ExprType::BrIf: case ExprType::BrTable: case ExprType::Call:
      case ExprType::Drop: case ExprType::GlobalGet: case ExprType::GlobalSet:
      case ExprType::LocalGet: case ExprType::LocalSet: case ExprType::LocalTee:
      case ExprType::MemorySize: case ExprType::Nop: case ExprType::Return:
      case ExprType::Unreachable:
        break;
      // memory.grow on a fixed-size memory, and bulk memory
      case ExprType::MemoryGrow: case ExprType::MemoryCopy: case ExprType::MemoryFill:
      case ExprType::MemoryInit: case ExprType::DataDrop:
        break;
      case ExprType::CallIndirect:  // through the one table
        break;
      default:
        error(fn_, std::string(wabt::GetExprTypeName(e.type())) + " is outside the supported subset");
        break;
      }
    }
  }

  const std::string &file_;
  std::vector<std::string> &errors_;
  std::string fn_;
};

void finish(const wabt::Module &m, const std::string &filename, WasmCheck &out) {
  SubsetChecker(filename, out.errors).module(m);
  for (size_t i = m.num_func_imports; i < m.funcs.size(); ++i) {
    const std::string &n = m.funcs[i]->name;
    out.functions.push_back(n.empty() ? "#" + std::to_string(i) : n);
    if (n.empty())
      ++out.unnamedFunctions;
  }
  out.ok = out.errors.empty();
}

void addErrors(const wabt::Errors &errors, wabt::Location::Type type, const std::string &filename,
               WasmCheck &out) {
  if (errors.empty())
    return;
  std::string text = wabt::FormatErrorsToString(errors, type);
  out.errors.push_back(filename + ": " + text);
}

}  // namespace

WasmCheck checkWat(const std::string &text, const std::string &filename) {
  WasmCheck out;
  wabt::Errors errors;
  wabt::Features features;
  features.enable_annotations();  // (@custom ...) annotations are skipped, as in arm/select
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer(filename, text.data(), text.size(), &errors);
  wabt::WastParseOptions parseOptions(features);
  std::unique_ptr<wabt::Module> module;
  wabt::Result r = wabt::ParseWatModule(lexer.get(), &module, &errors, &parseOptions);
  if (wabt::Succeeded(r) && module)
    r = wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features));
  addErrors(errors, wabt::Location::Type::Text, filename, out);
  if (wabt::Failed(r) || !module) {
    if (out.errors.empty())
      out.errors.push_back(filename + ": failed to parse or validate");
    return out;
  }
  finish(*module, filename, out);
  return out;
}

WasmCheck checkWasm(const std::vector<uint8_t> &bytes, const std::string &filename) {
  WasmCheck out;
  wabt::Errors errors;
  wabt::Features features;
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/true,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  wabt::Module module;
  wabt::Result r = wabt::ReadBinaryIr(filename.c_str(), bytes.data(), bytes.size(), options, &errors, &module);
  if (wabt::Succeeded(r))
    r = wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(features));
  addErrors(errors, wabt::Location::Type::Binary, filename, out);
  if (wabt::Failed(r)) {
    if (out.errors.empty())
      out.errors.push_back(filename + ": failed to read or validate");
    return out;
  }
  finish(module, filename, out);
  return out;
}

WasmCheck checkWasmFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    WasmCheck out;
    out.errors.push_back(path + ": cannot open file");
    return out;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".wat") == 0)
    return checkWat(std::string(bytes.begin(), bytes.end()), path);
  return checkWasm(bytes, path);
}

}  // namespace vcr::gen
