package emulator

import (
	"net/http"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// widgets is a resource type that exists only in tests, to exercise the
// machinery later types rely on: PUT-style operations, failures, operations
// on resources inside a group, and group deletion reaching them. It is built
// exactly as a real type would be (see README.md).
type widgets struct {
	s *Server
}

func newWidgets(s *Server) resourceType { return &widgets{s: s} }

const (
	widgetPath      = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Emulator/widgets/{widgetName}"
	widgetType      = "Microsoft.Emulator/widgets"
	kindWidgetWrite = "Microsoft.Emulator/widgets/write"
	kindWidgetFail  = "Microsoft.Emulator/widgets/failingWrite"
	kindWidgetDel   = "Microsoft.Emulator/widgets/delete"
	widgetDuration  = 20 * time.Second
)

func (w *widgets) routes() []route {
	return []route{
		{method: http.MethodPut, pattern: widgetPath, operation: "Widgets_CreateOrUpdate", handle: w.put},
		{method: http.MethodGet, pattern: widgetPath, operation: "Widgets_Get", handle: w.get},
		{method: http.MethodDelete, pattern: widgetPath, operation: "Widgets_Delete", handle: w.delete},
	}
}

func (w *widgets) operationKinds() []lro.Kind {
	fail := lro.ProvisioningKind(kindWidgetFail, "Microsoft.Emulator", widgetDuration)
	fail.Complete = func(*store.Tx, *lro.Operation) error { return arm.Conflict("The widget refused to be built.") }
	return []lro.Kind{
		lro.ProvisioningKind(kindWidgetWrite, "Microsoft.Emulator", widgetDuration),
		fail,
		{
			Name: kindWidgetDel, Namespace: "Microsoft.Emulator", Duration: widgetDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil },
		},
	}
}

type widget struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	Location   string           `json:"location"`
	Properties widgetProperties `json:"properties"`
}

type widgetProperties struct {
	ProvisioningState string `json:"provisioningState"`
	// Fail makes the write fail when it completes; DurationSeconds
	// overrides the simulated duration.
	Fail            bool `json:"fail,omitempty"`
	DurationSeconds int  `json:"durationSeconds,omitempty"`
}

func (w *widgets) id(req *request) string {
	return arm.ResourceGroupID(req.param("subscriptionId"), req.param("resourceGroupName")) +
		"/providers/" + widgetType + "/" + req.param("widgetName")
}

func (w *widgets) put(req *request) (arm.Response, error) {
	var in widget
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := w.s.store.Update(func(tx *store.Tx) error {
		if _, err := w.s.requireWritableGroup(tx, req.param("subscriptionId"), req.param("resourceGroupName")); err != nil {
			return err
		}
		id := w.id(req)
		_, exists := tx.Get(id)
		kind := kindWidgetWrite
		if in.Properties.Fail {
			kind = kindWidgetFail
		}
		op, err := w.s.ops.Start(tx, lro.Spec{
			Kind: kind, ResourceID: id, Location: in.Location, Method: http.MethodPut, APIVersion: req.apiVersion,
			Duration: time.Duration(in.Properties.DurationSeconds) * time.Second,
		})
		if err != nil {
			return err
		}
		wd := widget{ID: id, Name: req.param("widgetName"), Type: widgetType, Location: in.Location, Properties: in.Properties}
		status := http.StatusCreated
		wd.Properties.ProvisioningState = "Creating"
		if exists {
			status, wd.Properties.ProvisioningState = http.StatusOK, "Updating"
		}
		resp = w.s.ops.WithPolling(req.base, op, arm.JSON(status, wd))
		return putJSON(tx, id, wd)
	})
	return resp, err
}

func (w *widgets) get(req *request) (arm.Response, error) {
	wd, ok, err := getJSON[widget](w.s.store, w.id(req))
	if err != nil {
		return arm.Response{}, err
	}
	if !ok {
		return arm.Response{}, arm.ResourceNotFound(widgetType, req.param("widgetName"), req.param("resourceGroupName"))
	}
	return arm.JSON(http.StatusOK, wd), nil
}

func (w *widgets) delete(req *request) (arm.Response, error) {
	var resp arm.Response
	err := w.s.store.Update(func(tx *store.Tx) error {
		id := w.id(req)
		if _, ok := tx.Get(id); !ok {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		op, err := w.s.ops.Start(tx, lro.Spec{Kind: kindWidgetDel, ResourceID: id, Method: http.MethodDelete, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		resp = w.s.ops.Accepted(req.base, op)
		return lro.SetProvisioningState(tx, id, "Deleting")
	})
	return resp, err
}
