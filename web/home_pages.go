package web

import "net/http"

// home says what TechBridge is and where to start.
func (s *Server) home(w http.ResponseWriter, _ *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "home", nil)
	return nil
}
