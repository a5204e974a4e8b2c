package market

// ContractClause is one standard clause of a contract, in Chinese and
// English.
type ContractClause struct {
	ZH, EN string
}

// contractTypeClauses are the short standard clauses of each contract type
// (after the Civil Code's chapter on technology contracts); they are part
// of format /2's text, so changing one is a new format.
var contractTypeClauses = map[string][]ContractClause{
	ContractDevelopment: {
		{"研究开发人按约定的计划和里程碑完成研究开发工作，交付约定的成果，并对委托方给予必要的技术指导。",
			"The developer carries out the research and development on the agreed plan and milestones, delivers the agreed results and gives the client the technical guidance they need."},
		{"委托方按约定提供技术资料和原始数据，并按里程碑支付研究开发经费和报酬。",
			"The client provides the agreed technical material and data, and pays for the work milestone by milestone."},
		{"除另有约定外，履行本合同完成的发明创造的专利申请权属于研究开发人，委托方可以依法实施该专利。",
			"Unless agreed otherwise, the right to apply for patents on inventions made under this contract belongs to the developer, and the client may exploit such patents."},
	},
	ContractTransfer: {
		{"让与人保证其为所转让技术的合法权利人，所提供的技术完整、无误、有效，能够达到约定的目标。",
			"The assignor warrants that it lawfully owns the technology assigned and that the technology is complete, accurate, effective and able to reach the agreed goals."},
		{"让与人按约定办理权利转移手续，交付实施所需的技术资料，并提供必要的技术指导。",
			"The assignor completes the formalities of the transfer, delivers the technical material needed to work the technology and gives the guidance needed."},
		{"受让人按约定支付价款，并对尚未公开的技术秘密承担保密义务。",
			"The assignee pays the agreed price and keeps the unpublished know-how confidential."},
	},
	ContractLicence: {
		{"许可人保证其有权许可实施所许可的技术，并在许可范围、地域和期限内维持该技术权利有效。",
			"The licensor warrants that it may license the technology and keeps the rights in force within the licensed scope, territory and term."},
		{"被许可人在约定的许可方式、领域、地域和期限内实施该技术，不得超出许可范围，亦不得擅自许可第三方实施。",
			"The licensee works the technology only within the agreed kind of licence, field of use, territory and term, and grants no third party a licence without consent."},
		{"被许可人按约定支付许可使用费，并对技术秘密承担保密义务。",
			"The licensee pays the agreed licence fees and keeps the know-how confidential."},
	},
	ContractConsulting: {
		{"受托方按约定的期限完成咨询报告或者解答问题，所提出的咨询报告应当达到约定的要求。",
			"The consultant delivers the consulting report or answers within the agreed time, and the report meets the agreed requirements."},
		{"委托方按约定阐明咨询的问题，提供技术背景材料及有关数据，并按约定支付报酬。",
			"The client states the questions, provides the technical background and data, and pays the agreed fee."},
		{"委托方按照受托方符合约定要求的咨询报告和意见作出决策所造成的损失，由委托方承担，但另有约定的除外。",
			"Unless agreed otherwise, the client bears the consequences of decisions it takes on a report that meets the agreed requirements."},
	},
	ContractService: {
		{"受托方按约定完成服务项目，解决技术问题，保证工作质量，并传授解决技术问题的知识。",
			"The service provider completes the agreed service, solves the technical problem to the agreed quality and passes on the knowledge used to solve it."},
		{"委托方按约定提供工作条件，完成配合事项，接受工作成果并支付报酬。",
			"The client provides the agreed working conditions and cooperation, accepts the results and pays the agreed fee."},
	},
}

// commonClauses close every contract; the intermediary clause only when
// the contract names one.
var (
	escrowClause = ContractClause{
		"各期款项由买方支付至平台托管账户，经验收后由平台按本合同约定的金额向卖方及居间方结算；平台服务费按本合同载明的费率计收。",
		"Each payment is made by the buyer into the platform's escrow account and, once accepted, settled by the platform to the seller and the intermediary as this contract states; the platform fee is charged at the rate stated here."}
	intermediaryClause = ContractClause{
		"居间方如实报告订立合同的机会，促成合同订立，并按约定收取居间费，不得向任何一方隐瞒与订立合同有关的重要事实。",
		"The intermediary reports the opportunity truthfully, brings about the contract and takes the agreed fee; it conceals no material fact about the contract from either party."}
	disputeClause = ContractClause{
		"因本合同发生的争议，双方应协商解决；协商不成的，可以请求平台调解，或者依法向有管辖权的人民法院提起诉讼。",
		"Disputes under this contract are settled by negotiation; failing that, either party may ask the platform to mediate or bring the dispute before a competent people's court."}
	signatureClause = ContractClause{
		"本合同自买卖双方在平台上对同一合同文本签署之日起生效，该文本的指纹记录于签署记录中。",
		"This contract takes effect when the buyer and the seller have both signed the same text on the platform; the fingerprint of that text is kept with the signatures."}
)

// ContractClauses returns the standard clauses of a contract of the type,
// with the intermediary's clause when the contract names one.
func ContractClauses(contractType string, intermediary bool) []ContractClause {
	out := append([]ContractClause(nil), contractTypeClauses[contractType]...)
	out = append(out, escrowClause)
	if intermediary {
		out = append(out, intermediaryClause)
	}
	return append(out, disputeClause, signatureClause)
}
