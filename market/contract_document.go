package market

import "strings"

// Contract document formats. A stored contract is rendered again by the
// format it was drafted in (Contract.Format), so its hash keeps verifying;
// a change that alters any output of a renderer, its labels or its clauses
// is a new format, never an edit of an old one.
const (
	// ContractFormat1 printed amounts with its own exponent list ("CNY 1000.00").
	ContractFormat1 = "techbridge-contract/1"
	// ContractFormat2 prints amounts with the ledger's currency table
	// (ledger.Format per language), records the platform fee and the
	// currency of a fixed broker fee, and carries the standard clauses of
	// the contract type.
	ContractFormat2 = "techbridge-contract/2"
)

// Canonical renders the contract as its canonical document, in the format
// it was drafted in (an empty Format is a contract stored before formats
// were recorded: /1).
func (c Contract) Canonical() string {
	if c.Format == ContractFormat2 {
		return c.canonicalV2()
	}
	return c.canonicalV1()
}

// contractLabels are a contract type's names and what it calls its parties.
type contractLabels struct {
	typeZH, typeEN     string
	buyerZH, buyerEN   string
	sellerZH, sellerEN string
}

var contractLabelTable = map[string]contractLabels{
	ContractDevelopment: {"技术开发合同", "Technology Development Contract", "委托方", "Client", "研究开发人", "Developer"},
	ContractTransfer:    {"技术转让合同", "Technology Transfer Contract", "受让人", "Assignee", "让与人", "Assignor"},
	ContractLicence:     {"技术许可合同", "Technology Licence Contract", "被许可人", "Licensee", "许可人", "Licensor"},
	ContractConsulting:  {"技术咨询合同", "Technology Consulting Contract", "委托方", "Client", "受托方", "Consultant"},
	ContractService:     {"技术服务合同", "Technology Service Contract", "委托方", "Client", "受托方", "Service provider"},
}

func contractLabelsFor(contractType string) contractLabels {
	if l, ok := contractLabelTable[contractType]; ok {
		return l
	}
	return contractLabels{contractType, contractType, "买方", "Buyer", "卖方", "Seller"}
}

// contractOrDash returns s, else alt, else "-".
func contractOrDash(s, alt string) string {
	switch {
	case strings.TrimSpace(s) != "":
		return s
	case strings.TrimSpace(alt) != "":
		return alt
	}
	return "-"
}

// ContractLabels names a contract type and its parties in lang ("zh" or
// "en"): e.g. licence → 技术许可合同, 被许可人 (buyer), 许可人 (seller).
func ContractLabels(contractType, lang string) (typeName, buyer, seller string) {
	l := contractLabelsFor(contractType)
	if lang == "en" {
		return l.typeEN, l.buyerEN, l.sellerEN
	}
	return l.typeZH, l.buyerZH, l.sellerZH
}
