#include "vocabulary.hpp"

#include <array>

namespace lbrec::fakeworld::vocabulary {
namespace {

constexpr std::string_view kAdjectives[] = {
    "Silent",   "Last",      "Hidden",  "Broken",  "Golden",   "Endless",   "Dark",     "Bright",
    "Lonely",   "Wild",      "Quiet",   "Burning", "Frozen",   "Distant",   "Secret",   "Little",
    "Long",     "Electric",  "Crimson", "Hollow",  "Velvet",   "Bitter",    "Savage",   "Gentle",
    "Fallen",   "Lost",      "Final",   "Eternal", "Restless", "Wandering", "Blue",     "Black",
    "White",    "Red",       "Strange", "Sweet",   "Cold",     "Late",      "Early",    "Northern",
    "Southern", "Invisible", "Paper",   "Glass",   "Iron",     "Stolen",    "Sleeping", "Dancing",
    "Drowning", "Forgotten"};

constexpr std::string_view kNouns[] = {
    "River",    "Night",   "Summer",     "Winter",   "City",      "Garden",  "Heart",   "Road",
    "House",    "Sea",     "Mountain",   "Dream",    "Shadow",    "Mirror",  "Island",  "Letter",
    "Stranger", "Kingdom", "Fire",       "Rain",     "Storm",     "Harbor",  "Station", "Machine",
    "Ghost",    "Promise", "Empire",     "Frontier", "Detective", "Witness", "Hunter",  "Daughter",
    "Son",      "Brother", "Sister",     "Mother",   "Father",    "Wolf",    "Bird",    "Horse",
    "Orchard",  "Tower",   "Bridge",     "Window",   "Voyage",    "Silence", "Memory",  "Season",
    "Carnival", "Echo",    "Lighthouse", "Hotel",    "Desert",    "Forest",  "Moon",    "Star",
    "Thief",    "Soldier", "Queen",      "King",     "Painter",   "Teacher", "Pilot",   "Sailor",
    "Dancer"};

constexpr std::string_view kPlaces[] = {
    "Paris",     "Tokyo",    "Berlin",      "Havana",       "Lisbon",   "Marseille", "Istanbul",
    "Cairo",     "Seoul",    "Mexico City", "Buenos Aires", "Santiago", "Reykjavik", "Naples",
    "Vienna",    "Oslo",     "Bombay",      "Brooklyn",     "Texas",    "Alaska",    "Montana",
    "Hong Kong", "Shanghai", "Moscow",      "Warsaw"};

constexpr std::string_view kFirstNames[] = {
    "Ann",       "Sam",       "Maria",    "José",  "Chloé",  "Björn", "Agnès", "Nuno",   "Aiko",
    "Hiro",      "Min-jun",   "Seo-yeon", "Olga",  "Dmitri", "Priya", "Arjun", "Fatima", "Omar",
    "Lena",      "Jonas",     "Mateo",    "Lucía", "Ingrid", "Søren", "Zoë",   "Noah",   "Emma",
    "Liam",      "Ava",       "Kenji",    "Yuki",  "Wei",    "Mei",   "Paolo", "Giulia", "François",
    "Renée",     "Thomas",    "Claire",   "David", "Sarah",  "Ali",   "Leila", "Tomás",  "Inês",
    "Krzysztof", "Agnieszka", "Ólafur",   "Ásta",  "Chen",   "Ruth",  "Abbas", "Céline", "Wong",
    "Jean-Luc",  "Pedro",     "Greta",    "Kelly", "Spike",  "Lynne"};

constexpr std::string_view kLastNames[] = {
    "Roe",        "Nakamura",   "García",     "Müller",    "Dubois",     "Rossi",
    "Kowalski",   "Sørensen",   "Kim",        "Park",      "Ivanova",    "Sharma",
    "Haddad",     "Okafor",     "Silva",      "Fernández", "Larsson",    "Novak",
    "O'Brien",    "McAllister", "Lindqvist",  "Moreau",    "Bianchi",    "Tanaka",
    "Suzuki",     "Chen",       "Wang",       "Petrov",    "Kaurismäki", "Desplechin",
    "Villeneuve", "Hansen",     "Jensen",     "Nowak",     "Yılmaz",     "Öztürk",
    "Gonzaga",    "Almeida",    "Reichardt",  "Ramsay",    "Hogg",       "Weerasethakul",
    "Ozu",        "Varda",      "Kiarostami", "Denis",     "Sciamma",    "Hamaguchi",
    "Bong",       "Farhadi",    "Ceylan",     "Mungiu",    "Rohrwacher", "Wiseman",
    "Panahi",     "Campion",    "Kore-eda",   "Martel",    "Sissako"};

constexpr std::string_view kKeywordThemes[] = {"small town",
                                               "revenge",
                                               "coming of age",
                                               "heist",
                                               "road trip",
                                               "serial killer",
                                               "time travel",
                                               "first love",
                                               "grief",
                                               "war veteran",
                                               "dystopia",
                                               "artificial intelligence",
                                               "haunted house",
                                               "family secret",
                                               "police corruption",
                                               "friendship",
                                               "divorce",
                                               "immigration",
                                               "boxing",
                                               "space travel",
                                               "alien invasion",
                                               "zombie",
                                               "vampire",
                                               "detective",
                                               "courtroom",
                                               "prison",
                                               "bank robbery",
                                               "mafia",
                                               "spy",
                                               "cold war",
                                               "world war ii",
                                               "based on novel",
                                               "biography",
                                               "musician",
                                               "dance",
                                               "high school",
                                               "summer vacation",
                                               "island",
                                               "desert",
                                               "snow",
                                               "ocean",
                                               "train",
                                               "hotel",
                                               "restaurant",
                                               "painter",
                                               "writer",
                                               "filmmaking",
                                               "journalism",
                                               "politics",
                                               "election",
                                               "religion",
                                               "cult",
                                               "conspiracy",
                                               "amnesia",
                                               "twins",
                                               "double life",
                                               "betrayal",
                                               "loneliness",
                                               "old age",
                                               "childhood",
                                               "motherhood",
                                               "fatherhood",
                                               "siblings",
                                               "wedding",
                                               "funeral",
                                               "class differences",
                                               "working class",
                                               "wealth",
                                               "poverty",
                                               "addiction",
                                               "mental illness",
                                               "surrealism",
                                               "dream",
                                               "nightmare",
                                               "monster",
                                               "robot",
                                               "superhero",
                                               "martial arts",
                                               "samurai",
                                               "cowboy",
                                               "gunfight",
                                               "horse",
                                               "dog",
                                               "cat",
                                               "rural life",
                                               "big city",
                                               "nightlife",
                                               "jazz",
                                               "rock and roll",
                                               "folk tale",
                                               "fairy tale",
                                               "mythology",
                                               "sea voyage",
                                               "mountain climbing",
                                               "survival",
                                               "natural disaster",
                                               "pandemic",
                                               "hacker",
                                               "video game",
                                               "sports",
                                               "chess",
                                               "magic",
                                               "witch",
                                               "ghost",
                                               "slasher",
                                               "found footage",
                                               "mockumentary",
                                               "nonlinear timeline",
                                               "one location",
                                               "ensemble cast",
                                               "satire",
                                               "parody",
                                               "romance",
                                               "unrequited love",
                                               "affair",
                                               "lgbt",
                                               "feminism",
                                               "colonialism",
                                               "revolution",
                                               "dictatorship",
                                               "resistance",
                                               "exile",
                                               "memory",
                                               "nostalgia",
                                               "loss of innocence"};

constexpr std::string_view kSequelSubtitles[] = {
    "Returns",        "Reckoning", "The Second Chapter", "Homecoming", "Redemption", "Rising",
    "The Last Stand", "Legacy",    "Resurrection",       "Beyond",     "Origins",    "Aftermath"};

constexpr std::string_view kFrench[] = {
    "La Nuit",    "Le Jardin", "Été",      "Mémoire",     "Cœur",   "Fenêtre",
    "L'Étranger", "Rêve",      "Forêt",    "Les Enfants", "La Mer", "Hôtel",
    "Château",    "Déjà",      "Première", "Là-bas",      "Sœur",   "Noël"};
constexpr std::string_view kSpanish[] = {"La Noche", "El Jardín", "Corazón", "Niña",   "Canción",
                                         "Mañana",   "Años",      "El Río",  "Señor",  "Pequeña",
                                         "Camión",   "Verano",    "Memoria", "Ilusión"};
constexpr std::string_view kGerman[] = {"Die Nacht", "Straße", "Mädchen", "Über",
                                        "Größe",     "Traum",  "Brücke",  "Schön",
                                        "Fräulein",  "Hölle",  "Märchen"};
constexpr std::string_view kItalian[] = {"La Notte", "Città",  "Perché",   "Già",     "Più",
                                         "Il Mare",  "Estate", "Giardino", "Libertà", "Verità"};
constexpr std::string_view kPortuguese[] = {"Saudade", "Coração", "Irmão", "São Paulo", "Ação",
                                            "Mãe",     "Sertão",  "Órfão", "Canção"};
constexpr std::string_view kSwedish[] = {"Sommarnatt", "Höst",   "Ö",
                                         "Skärgård",   "Fåglar", "Älskade"};
constexpr std::string_view kDanish[] = {"Jagten", "Ø", "Søster", "Kærlighed", "Hævn", "Ånd"};
constexpr std::string_view kJapanese[] = {"夜", "海",       "光", "東京", "物語", "影",    "花",
                                          "雨", "千と千尋", "風", "空",   "家族", "秋刀魚"};
constexpr std::string_view kKorean[] = {"밤",     "바다", "기억", "서울", "이야기",
                                        "기생충", "살인", "봄",   "여름", "아가씨"};
constexpr std::string_view kChinese[] = {"夜",   "城市",     "故事",     "花样年华",
                                         "月光", "重庆森林", "卧虎藏龙", "霸王别姬"};
constexpr std::string_view kRussian[] = {"Ночь",    "Море",    "Память",  "Москва",      "Брат",
                                         "Сталкер", "Зеркало", "Солярис", "Иди и смотри"};
constexpr std::string_view kHindi[] = {"रात", "सपना", "दिल", "घर", "प्यार", "मुंबई"};
constexpr std::string_view kPersian[] = {"شب", "خانه", "جدایی", "طعم گیلاس"};

}  // namespace

std::span<const std::string_view> adjectives() {
  return kAdjectives;
}
std::span<const std::string_view> nouns() {
  return kNouns;
}
std::span<const std::string_view> places() {
  return kPlaces;
}
std::span<const std::string_view> first_names() {
  return kFirstNames;
}
std::span<const std::string_view> last_names() {
  return kLastNames;
}
std::span<const std::string_view> keyword_themes() {
  return kKeywordThemes;
}
std::span<const std::string_view> sequel_subtitles() {
  return kSequelSubtitles;
}

std::span<const std::string_view> original_words(std::string_view language) {
  if (language == "fr") return kFrench;
  if (language == "es") return kSpanish;
  if (language == "de") return kGerman;
  if (language == "it") return kItalian;
  if (language == "pt") return kPortuguese;
  if (language == "sv") return kSwedish;
  if (language == "da") return kDanish;
  if (language == "ja") return kJapanese;
  if (language == "ko") return kKorean;
  if (language == "zh") return kChinese;
  if (language == "ru") return kRussian;
  if (language == "hi") return kHindi;
  if (language == "fa") return kPersian;
  return {};
}

}  // namespace lbrec::fakeworld::vocabulary
