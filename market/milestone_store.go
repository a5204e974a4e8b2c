package market

// MilestoneTx persists the milestones of signed contracts. The deal service
// creates them in the transaction that signs the contract; payments moves
// them with ApplyMilestone and UpdateMilestone.
type MilestoneTx interface {
	// CreateMilestone inserts m; ECONFLICT when its deal already has one
	// with the same Seq.
	CreateMilestone(m *Milestone) error
	MilestoneByID(id string) (*Milestone, error)
	// DealMilestones returns a deal's milestones in Seq order.
	DealMilestones(dealID string) ([]Milestone, error)
	// UpdateMilestone writes m when the stored version is m.Version-1 (what
	// ApplyMilestone returns); ECONFLICT when another writer got there first.
	UpdateMilestone(m *Milestone) error
}
