#include "sources/csv_reader.hpp"

#include <exception>

#include "core/strings.hpp"

namespace lbrec::sources {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

core::Result<std::vector<CsvRecord>> too_many_rows(std::size_t max_rows) {
  return core::fail(core::ErrorCode::kInvalidInput,
                    "CSV has more than " + std::to_string(max_rows) + " rows");
}

core::Result<std::vector<CsvRecord>> parse_records(std::string_view text, std::size_t max_rows) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  std::size_t line = 1;
  record.line = line;
  bool in_record = false;  // something (even an empty field) of the current record was read
  std::size_t i = 0;
  const std::size_t n = text.size();

  const auto end_record = [&]() -> bool {
    record.fields.push_back(std::move(field));
    field.clear();
    if (records.size() >= max_rows) return false;
    records.push_back(std::move(record));
    record = CsvRecord{};
    in_record = false;
    return true;
  };

  while (i < n) {
    if (!in_record) record.line = line;
    in_record = true;
    const char c = text[i];
    if (c == '"' && field.empty()) {
      // A quoted field runs to the next quote that is not doubled.
      const std::size_t opened_on = line;
      ++i;
      bool closed = false;
      while (i < n) {
        const char q = text[i];
        if (q == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (q == '\n' || (q == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
        field += q;
        ++i;
      }
      if (!closed) {
        return core::fail(core::ErrorCode::kInvalidInput,
                          "CSV line " + std::to_string(opened_on) + ": unterminated quoted field");
      }
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
      ++line;
      if (!end_record()) return too_many_rows(max_rows);
      continue;
    }
    field += c;
    ++i;
  }
  if (in_record && !end_record()) return too_many_rows(max_rows);
  return records;
}

}  // namespace

core::Result<std::vector<CsvRecord>> parse_csv_records(std::string_view text,
                                                       std::size_t max_rows) {
  try {
    return parse_records(text, max_rows);
  } catch (const std::exception& e) {
    // Only allocation can throw; callers get an error, never an exception.
    return core::fail(core::ErrorCode::kInternal, std::string("reading CSV: ") + e.what());
  }
}

core::Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text,
                                                              std::size_t max_rows) {
  auto records = parse_csv_records(text, max_rows);
  if (!records) return tl::unexpected(std::move(records.error()));
  std::vector<std::vector<std::string>> rows;
  rows.reserve(records->size());
  for (CsvRecord& r : *records)
    rows.push_back(std::move(r.fields));
  return rows;
}

CsvHeader::CsvHeader(const std::vector<std::string>& header) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string_view name = header[i];
    // A BOM the reader did not strip (a header that is not the first line) must not hide a name.
    if (name.starts_with(kBom)) name.remove_prefix(kBom.size());
    columns_.try_emplace(core::to_lower_ascii(core::trim(name)), i);
  }
}

std::optional<std::size_t> CsvHeader::index(std::string_view name) const {
  const auto it = columns_.find(core::to_lower_ascii(core::trim(name)));
  if (it == columns_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> CsvHeader::missing(
    std::initializer_list<std::string_view> required) const {
  std::vector<std::string> out;
  for (std::string_view name : required) {
    if (!has(name)) out.emplace_back(name);
  }
  return out;
}

std::string_view CsvHeader::field(const std::vector<std::string>& row,
                                  std::string_view name) const {
  const auto i = index(name);
  if (!i || *i >= row.size()) return {};
  return row[*i];
}

}  // namespace lbrec::sources
