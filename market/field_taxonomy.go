package market

import "strings"

// TechField is one entry of the fixed technology-field taxonomy that
// listings are classified by; the API serves the list so clients show
// names in either language.
type TechField struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// FieldOther is the catch-all field: imports that state no field and whose
// IPC codes map to none land here rather than fail.
const FieldOther = "other"

// TechFields is the taxonomy in display order. Codes are stable: they are
// stored on listings and indexed by search, so add entries, never rename.
var TechFields = []TechField{
	{"ai", "人工智能", "Artificial intelligence"},
	{"software", "软件与信息服务", "Software and information services"},
	{"ic", "集成电路", "Integrated circuits"},
	{"electronics", "电子信息与通信", "Electronics and communications"},
	{"optics", "光电与激光", "Optoelectronics and lasers"},
	{"quantum", "量子科技", "Quantum technology"},
	{"robotics", "机器人与智能制造", "Robotics and smart manufacturing"},
	{"equipment", "高端装备", "Advanced equipment"},
	{"aerospace", "航空航天", "Aerospace"},
	{"automotive", "新能源汽车与交通", "New-energy vehicles and transport"},
	{"new_energy", "新能源", "New energy"},
	{"energy_storage", "储能与电池", "Energy storage and batteries"},
	{"power_grid", "电力与电网", "Power and grids"},
	{"new_materials", "新材料", "Advanced materials"},
	{"chemicals", "化工", "Chemical engineering"},
	{"biomedicine", "生物医药", "Biomedicine"},
	{"medical_devices", "医疗器械", "Medical devices"},
	{"tcm", "中医药", "Traditional Chinese medicine"},
	{"agriculture", "现代农业", "Modern agriculture"},
	{"food", "食品", "Food technology"},
	{"environment", "节能环保", "Energy saving and environment"},
	{"water", "水资源与水处理", "Water resources and treatment"},
	{"construction", "建筑与土木工程", "Construction and civil engineering"},
	{"marine", "海洋工程", "Marine engineering"},
	{"mining", "资源与矿业", "Resources and mining"},
	{"textiles", "轻工纺织", "Light industry and textiles"},
	{"digital_health", "数字健康", "Digital health"},
	{"fintech", "金融科技", "Financial technology"},
	{"safety", "公共安全与应急", "Public safety and emergency"},
	{"culture_tech", "文化科技", "Culture and creative technology"},
	{FieldOther, "其他", "Other"},
}

var techFieldIndex = func() map[string]TechField {
	m := make(map[string]TechField, len(TechFields))
	for _, f := range TechFields {
		m[f.Code] = f
	}
	return m
}()

// FieldByCode returns the taxonomy entry for code.
func FieldByCode(code string) (TechField, bool) {
	f, ok := techFieldIndex[code]
	return f, ok
}

// ValidField reports whether code is in the taxonomy.
func ValidField(code string) bool {
	_, ok := techFieldIndex[code]
	return ok
}

// ipcFieldPrefixes maps IPC prefixes to fields; the longest matching prefix
// wins. It only guesses a field for imports that state none, so coarse is
// fine: a wrong guess is visible to the owner and editable.
var ipcFieldPrefixes = map[string]string{
	"A01": "agriculture", "A21": "food", "A23": "food", "A24": "food",
	"A41": "textiles", "A43": "textiles", "A47": "textiles",
	"A61B": "medical_devices", "A61F": "medical_devices", "A61G": "medical_devices", "A61H": "medical_devices",
	"A61M": "medical_devices", "A61N": "medical_devices", "A61K": "biomedicine", "A61P": "biomedicine",
	"A61K 36": "tcm", "A62": "safety", "A63": "culture_tech",
	"B01": "chemicals", "B02": "equipment", "B03": "mining", "B04": "equipment", "B05": "equipment",
	"B08": "environment", "B09": "environment", "B21": "equipment", "B22": "new_materials", "B23": "equipment",
	"B24": "equipment", "B25J": "robotics", "B25": "equipment", "B26": "equipment", "B27": "textiles",
	"B28": "construction", "B29": "new_materials", "B32": "new_materials", "B33": "equipment",
	"B41": "textiles", "B60": "automotive", "B61": "automotive", "B62": "automotive", "B63": "marine",
	"B64": "aerospace", "B65": "equipment", "B66": "equipment", "B81": "ic", "B82": "new_materials",
	"C01": "chemicals", "C02": "water", "C03": "new_materials", "C04": "construction", "C05": "agriculture",
	"C07": "chemicals", "C08": "new_materials", "C09": "chemicals", "C10": "new_energy", "C12": "biomedicine",
	"C13": "food", "C21": "new_materials", "C22": "new_materials", "C23": "new_materials", "C25": "chemicals",
	"C30": "new_materials", "D01": "textiles", "D02": "textiles", "D03": "textiles", "D04": "textiles",
	"D06": "textiles", "D21": "textiles", "E01": "construction", "E02": "construction", "E03": "water",
	"E04": "construction", "E05": "construction", "E06": "construction", "E21": "mining",
	"F01": "equipment", "F02": "automotive", "F03": "new_energy", "F04": "equipment", "F15": "equipment",
	"F16": "equipment", "F17": "equipment", "F21": "optics", "F22": "new_energy", "F23": "environment",
	"F24": "environment", "F24S": "new_energy", "F25": "equipment", "F26": "equipment", "F27": "equipment",
	"F28": "equipment", "F41": "safety", "F42": "safety",
	"G01": "electronics", "G02": "optics", "G03": "optics", "G04": "electronics", "G05": "robotics",
	"G06": "software", "G06N": "ai", "G06V": "ai", "G06T": "ai", "G06Q": "fintech", "G06Q 40": "fintech",
	"G06N 10": "quantum", "G07": "electronics", "G08": "safety", "G09": "culture_tech", "G10": "electronics",
	"G11": "electronics", "G16H": "digital_health", "G16": "software", "G21": "new_energy",
	"H01L": "ic", "H10": "ic", "H01M": "energy_storage", "H01S": "optics", "H01": "electronics",
	"H02J": "power_grid", "H02S": "new_energy", "H02": "power_grid", "H03": "electronics", "H04": "electronics",
	"H04L 9": "software", "H05": "electronics", "Y02E": "new_energy", "Y02": "environment", "Y10": "other",
}

// FieldFromIPC guesses a field from IPC codes: the first code with a known
// prefix decides; FieldOther when none has one.
func FieldFromIPC(codes []string) string {
	for _, c := range codes {
		best := ""
		for p := range ipcFieldPrefixes {
			if strings.HasPrefix(c, p) && len(p) > len(best) {
				best = p
			}
		}
		if best != "" {
			return ipcFieldPrefixes[best]
		}
	}
	return FieldOther
}
