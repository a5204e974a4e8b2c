package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// trackRecordResponse is market.TrackRecord: public deal counts.
type trackRecordResponse struct {
	DealsSigned       int `json:"deals_signed"`
	DealsCompleted    int `json:"deals_completed"`
	BrokeredSigned    int `json:"brokered_signed"`
	BrokeredCompleted int `json:"brokered_completed"`
}

func toTrackRecordResponse(tr market.TrackRecord) trackRecordResponse {
	return trackRecordResponse{DealsSigned: tr.DealsSigned, DealsCompleted: tr.DealsCompleted,
		BrokeredSigned: tr.BrokeredSigned, BrokeredCompleted: tr.BrokeredCompleted}
}

// brokerResponse is one entry of the broker directory.
type brokerResponse struct {
	orgResponse
	TrackRecord trackRecordResponse `json:"track_record"`
}

// joinRequestResponse answers a broker's request to join a deal; the deal
// itself stays hidden from the broker until both parties agree.
type joinRequestResponse struct {
	DealID string `json:"deal_id"`
	OrgID  string `json:"org_id"`
	Status string `json:"status"`
}

// listBrokers is the broker directory: verified intermediaries with
// their track records.
func (s *Server) listBrokers(c *gin.Context) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	bs, err := s.Service.Brokers(c.Request.Context(), actor(c), cursor, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[brokerResponse]{Items: []brokerResponse{}}
	for i := range bs {
		resp.Items = append(resp.Items, brokerResponse{orgResponse: toOrgResponse(&bs[i].Organization),
			TrackRecord: toTrackRecordResponse(bs[i].TrackRecord)})
	}
	if len(bs) == limit {
		resp.NextCursor = bs[len(bs)-1].ID
	}
	c.JSON(http.StatusOK, resp)
}

// getTrackRecord is an organisation's public deal counts.
func (s *Server) getTrackRecord(c *gin.Context) {
	tr, err := s.Service.TrackRecord(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toTrackRecordResponse(*tr))
}

// requestToBroker is a broker asking to join a deal whose link a party
// shared; the parties answer with POST /deals/{id}/intermediary/fee.
func (s *Server) requestToBroker(c *gin.Context) {
	var req inviteIntermediaryRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	err := s.Service.AskToBroker(c.Request.Context(), actor(c), c.Param("id"), market.JoinRequest{OrgID: req.OrgID, Fee: req.fee()})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, joinRequestResponse{DealID: c.Param("id"), OrgID: req.OrgID, Status: market.IntermediaryRequested})
}
