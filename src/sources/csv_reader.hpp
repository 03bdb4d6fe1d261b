#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace lbrec::sources {

// One CSV record and the 1-based line of the text it starts on (records may span lines when a
// quoted field holds a line break).
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 records: fields separated by commas, quoted fields may hold commas, doubled quotes and
// CR/LF. A record ends at CRLF, LF or a lone CR; the final record needs no line break. A UTF-8 BOM
// at the very start is skipped. A blank line is a record with one empty field. Lenient where RFC
// 4180 is silent: a quote inside an unquoted field, and text after a closing quote, are kept as
// plain characters. Errors (kInvalidInput): a quoted field that never closes (naming the line it
// opened on), and more than `max_rows` records (the header counts as one).
core::Result<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::size_t max_rows);

// parse_csv_records without the line numbers.
core::Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text,
                                                              std::size_t max_rows);

// Column positions by name, from a header record. Names match after trimming ASCII white space,
// ignoring ASCII case; columns may come in any order and unknown ones are ignored. When a name
// repeats, its first column wins.
class CsvHeader {
 public:
  explicit CsvHeader(const std::vector<std::string>& header);

  // The column of `name`, if the header has it.
  std::optional<std::size_t> index(std::string_view name) const;
  bool has(std::string_view name) const { return index(name).has_value(); }

  // The names in `required` the header lacks, in the order given.
  std::vector<std::string> missing(std::initializer_list<std::string_view> required) const;

  // The field of `row` under `name`; empty when the header lacks the column or the row is short.
  std::string_view field(const std::vector<std::string>& row, std::string_view name) const;

 private:
  std::unordered_map<std::string, std::size_t> columns_;  // lower-cased, trimmed name -> index
};

}  // namespace lbrec::sources
